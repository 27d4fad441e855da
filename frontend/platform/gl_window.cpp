#include "platform/gl_window.hpp"

#include "platform/canvas.hpp"

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <emscripten.h>
#include <emscripten/html5.h>

// ImGui's renderer saves and restores the GL state around each frame with
// glGetIntegerv. Chromium answers most of those queries in the page, but the
// scissor box and the blend state only from the GPU process: a synchronous
// round trip each that also waits for all queued GL work (on this project's
// test machines 10-15 ms apiece, up to 126 when it is busy). The app's
// own calls are the only ones that change that state, so the context answers
// those seven queries from what it was last told instead. The starting values
// are WebGL's for a new context; a restored context starts from them again.
// clang-format off
EM_JS(void, js_mirror_scissor_and_blend_state, (), {
  var gl = GL.currentContext && GL.currentContext.GLctx;
  if (!gl) return;
  var state;
  function reset() {
    state = {};
    state[gl.SCISSOR_BOX] = [0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight];
    state[gl.BLEND_SRC_RGB] = state[gl.BLEND_SRC_ALPHA] = gl.ONE;
    state[gl.BLEND_DST_RGB] = state[gl.BLEND_DST_ALPHA] = gl.ZERO;
    state[gl.BLEND_EQUATION_RGB] = state[gl.BLEND_EQUATION_ALPHA] = gl.FUNC_ADD;
  }
  reset();
  gl.canvas.addEventListener('webglcontextrestored', reset);
  function forward(name, record) {
    var original = gl[name];
    gl[name] = function () {
      record.apply(null, arguments);
      return original.apply(gl, arguments);
    };
  }
  // A negative size is refused by GL (INVALID_VALUE) and leaves the box as it was.
  forward('scissor', function (x, y, width, height) {
    if (width >= 0 && height >= 0) state[gl.SCISSOR_BOX] = [x | 0, y | 0, width | 0, height | 0];
  });
  forward('blendFunc', function (src, dst) {
    state[gl.BLEND_SRC_RGB] = state[gl.BLEND_SRC_ALPHA] = src;
    state[gl.BLEND_DST_RGB] = state[gl.BLEND_DST_ALPHA] = dst;
  });
  forward('blendFuncSeparate', function (srcRgb, dstRgb, srcAlpha, dstAlpha) {
    state[gl.BLEND_SRC_RGB] = srcRgb;
    state[gl.BLEND_DST_RGB] = dstRgb;
    state[gl.BLEND_SRC_ALPHA] = srcAlpha;
    state[gl.BLEND_DST_ALPHA] = dstAlpha;
  });
  forward('blendEquation', function (mode) {
    state[gl.BLEND_EQUATION_RGB] = state[gl.BLEND_EQUATION_ALPHA] = mode;
  });
  forward('blendEquationSeparate', function (rgb, alpha) {
    state[gl.BLEND_EQUATION_RGB] = rgb;
    state[gl.BLEND_EQUATION_ALPHA] = alpha;
  });
  var getParameter = gl.getParameter;
  gl.getParameter = function (name) {
    var known = state[name];
    if (known === undefined) return getParameter.call(gl, name);
    return Array.isArray(known) ? new Int32Array(known) : known;  // as WebGL returns them
  };
});
// clang-format on

namespace invites::platform {

bool GlWindow::create(const char* canvas_selector, const CanvasMetrics& canvas) {
  if (!glfwInit()) return false;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfwWindowHint(GLFW_ALPHA_BITS, 0);  // opaque canvas: cheaper compositing
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  glfwWindowHint(GLFW_SAMPLES, 0);  // ImGui anti-aliases its own shapes
  // GLFW sets the canvas's backing store to this size: keep the one it has.
  window_ = glfwCreateWindow(canvas.fb_width, canvas.fb_height, "Bulk Portal Invites", nullptr, nullptr);
  if (window_ == nullptr) return false;
  glfwMakeContextCurrent(window_);
  js_mirror_scissor_and_blend_state();
  // Consuming the loss event (true: preventDefault) is what lets the browser restore the context.
  emscripten_set_webglcontextlost_callback(canvas_selector, this, false, [](int, const void*, void* self) -> EM_BOOL {
    static_cast<GlWindow*>(self)->context_lost_ = true;
    return EM_TRUE;
  });
  emscripten_set_webglcontextrestored_callback(canvas_selector, this, false,
                                               [](int, const void*, void* self) -> EM_BOOL {
                                                 auto& window = *static_cast<GlWindow*>(self);
                                                 window.context_lost_ = false;
                                                 window.context_restored_ = true;
                                                 return EM_TRUE;
                                               });

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // platform/cursor.cpp sets the CSS cursor

  // Mouse and wheel are routed by platform/input.cpp (CSS pixels); keys and
  // characters are forwarded to the backend from there too.
  ImGui_ImplGlfw_InitForOpenGL(window_, /*install_callbacks=*/false);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  // Create shaders and the (placeholder) font texture now, so later atlas
  // rebuilds only replace the texture.
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  return true;
}

void GlWindow::begin_frame(const CanvasMetrics& canvas) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // GLFW's idea of the window size is the backing store; ImGui works in CSS px.
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(canvas.css_width), static_cast<float>(canvas.css_height));
  const float scale_x = canvas.css_width > 0 ? static_cast<float>(canvas.fb_width / canvas.css_width) : 1.0f;
  const float scale_y = canvas.css_height > 0 ? static_cast<float>(canvas.fb_height / canvas.css_height) : 1.0f;
  io.DisplayFramebufferScale = ImVec2(scale_x, scale_y);
  ImGui::NewFrame();
}

void GlWindow::end_frame(const CanvasMetrics& canvas) {
  ImGui::Render();
  glViewport(0, 0, canvas.fb_width, canvas.fb_height);
  const ImVec4 clear = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(clear.x, clear.y, clear.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

bool GlWindow::renew_after_restore() {
  if (!context_restored_) return false;
  context_restored_ = false;
  // The old objects died with the lost context; their names are dropped.
  ImGui_ImplOpenGL3_DestroyDeviceObjects();
  ImGui_ImplOpenGL3_CreateDeviceObjects();  // rasterizes the atlas again for its texture
  ImGui::GetIO().Fonts->ClearTexData();     // the pixels live in the GL texture now
  return true;
}

}  // namespace invites::platform
