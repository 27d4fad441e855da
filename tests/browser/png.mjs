// Screenshot pixels (decoded by pngjs) and statistics that tell a rendered
// UI from a blank canvas.
import pngjs from 'pngjs';

// { width, height, pixels: RGBA bytes }
export function decodePng(buffer) {
  const { width, height, data } = pngjs.PNG.sync.read(buffer);
  return { width, height, pixels: data };
}

// Luminance spread, share of dark ("ink") pixels, distinct colors.
export function pixelStats({ width, height, pixels }) {
  let sum = 0, sumSq = 0, dark = 0;
  const colors = new Set();
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const r = pixels[i * 4], g = pixels[i * 4 + 1], b = pixels[i * 4 + 2];
    const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += lum;
    sumSq += lum * lum;
    if (lum < 110) dark++;
    if (colors.size < 4096) colors.add((r << 16) | (g << 8) | b);
  }
  const mean = sum / n;
  return { mean, stddev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), darkShare: dark / n, colors: colors.size };
}
