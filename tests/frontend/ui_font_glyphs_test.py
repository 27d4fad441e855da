#!/usr/bin/python3
"""The subset UI font of the web bundle has a glyph for every character the
app can be asked to draw: printable ASCII, all of Latin-1 and Latin
Extended-A (names in billing data are typed by people), and every character
of a string literal in frontend/, common/ and backend/ (the UI's own texts
and the server's messages it shows), written as is or as an escape.

usage: ui_font_glyphs_test.py FONT REPOSITORY
"""
import pathlib
import re
import sys

from fontTools.ttLib import TTFont

SIMPLE_ESCAPES = {'n': 0x0A, 't': 0x09, 'r': 0x0D, '0': 0x00, 'a': 0x07, 'b': 0x08, 'f': 0x0C, 'v': 0x0B,
                  '\\': 0x5C, '"': 0x22, "'": 0x27, '?': 0x3F}


def literal_bytes(body):
    """The bytes of a (non-raw) C++ string literal's body, escapes resolved."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != '\\':
            out += c.encode('utf-8')
            i += 1
            continue
        kind = body[i + 1]
        if kind == 'x':
            digits = re.match(r'[0-9A-Fa-f]+', body[i + 2:]).group(0)
            out.append(int(digits, 16) & 0xFF)
            i += 2 + len(digits)
        elif kind in 'uU':
            width = 4 if kind == 'u' else 8
            out += chr(int(body[i + 2:i + 2 + width], 16)).encode('utf-8')
            i += 2 + width
        elif kind in '01234567':
            digits = re.match(r'[0-7]{1,3}', body[i + 1:]).group(0)
            out.append(int(digits, 8) & 0xFF)
            i += 1 + len(digits)
        else:
            out.append(SIMPLE_ESCAPES.get(kind, ord(kind)))
            i += 2
    return bytes(out)


def string_literals(source):
    """Yields (line, text) for each string literal outside comments."""
    i, n = 0, len(source)
    identifier = re.compile(r'[A-Za-z0-9_]')
    while i < n:
        if source.startswith('//', i):
            end = source.find('\n', i)
            i = n if end < 0 else end
        elif source.startswith('/*', i):
            i = source.index('*/', i + 2) + 2
        elif source[i] == "'":
            if i > 0 and identifier.match(source[i - 1]):  # a digit separator (1'000)
                i += 1
                continue
            j = i + 1
            while source[j] != "'":
                j += 2 if source[j] == '\\' else 1
            i = j + 1
        elif source.startswith('R"', i) and (i == 0 or not identifier.match(source[i - 1]) or
                                             source[max(0, i - 2):i] == 'u8' or source[i - 1] in 'LuU'):
            delimiter = source[i + 2:source.index('(', i)]
            start = source.index('(', i) + 1
            end = source.index(')' + delimiter + '"', start)
            yield source.count('\n', 0, i) + 1, source[start:end]
            i = end + len(delimiter) + 2
        elif source[i] == '"':
            j = i + 1
            while source[j] != '"':
                j += 2 if source[j] == '\\' else 1
            yield source.count('\n', 0, i) + 1, literal_bytes(source[i + 1:j]).decode('utf-8', errors='ignore')
            i = j + 1
        else:
            i += 1


def main(font_path, repository):
    cmap = TTFont(font_path).getBestCmap()
    required = {cp: 'printable ASCII' for cp in range(0x20, 0x7F)}
    required.update({cp: 'Latin-1 (names)' for cp in range(0xA0, 0x100)})
    required.update({cp: 'Latin Extended-A (names)' for cp in range(0x100, 0x180)})
    literals = files = 0
    drawn = {}
    for folder in ('frontend', 'common', 'backend'):
        for path in sorted(pathlib.Path(repository, folder).rglob('*')):
            if path.suffix not in ('.cpp', '.hpp', '.h') or not path.is_file():
                continue
            files += 1
            for line, text in string_literals(path.read_text(encoding='utf-8')):
                literals += 1
                for char in text:
                    cp = ord(char)
                    if cp >= 0x7F and not 0x80 <= cp < 0xA0:  # controls are never drawn
                        drawn.setdefault(cp, f'{path.relative_to(repository)}:{line}')
    required.update(drawn)
    missing = sorted(cp for cp in required if cp not in cmap)
    print(f'{literals} string literals in {files} files; characters beyond ASCII: ' +
          ' '.join(f'{chr(cp)} (U+{cp:04X})' for cp in sorted(drawn)))
    print(f'{font_path}: {len(cmap)} characters')
    if literals < 500 or not drawn:
        print('FAIL: the scan found too little to be a scan of the sources', file=sys.stderr)
        return 1
    for cp in missing:
        print(f'FAIL: U+{cp:04X} {chr(cp)!r} ({required[cp]}) has no glyph in the UI font '
              '(add it to INVITES_UI_GLYPH_RANGES in frontend/CMakeLists.txt)', file=sys.stderr)
    return 1 if missing else 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
