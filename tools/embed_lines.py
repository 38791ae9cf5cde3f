#!/usr/bin/env python3
"""Build step: turns a UTF-8 text file into a C++ source that holds it as an array of lines
(one string literal per line, so no literal exceeds what ISO C++ compilers must support).

    embed_lines.py INPUT OUTPUT NAMESPACE SYMBOL
"""
import sys


def literal(line: str) -> str:
    out = ['"']
    for b in line.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append('\\%03o' % b)
    out.append('"')
    return "".join(out)


def main() -> int:
    src, dst, namespace, symbol = sys.argv[1:5]
    with open(src, encoding="utf-8") as f:
        lines = f.read().splitlines()
    body = ",\n".join("    " + literal(l) for l in lines) or '    ""'
    text = (
        f"// Generated from {src.rsplit('/', 1)[-1]} by tools/embed_lines.py; do not edit.\n"
        "#include <cstddef>\n\n"
        f"namespace {namespace} {{\n"
        f"extern const char* const {symbol}[];\n"
        f"extern const std::size_t {symbol}_count;\n"
        f"const char* const {symbol}[] = {{\n{body}\n}};\n"
        f"const std::size_t {symbol}_count = {max(len(lines), 1)};\n"
        f"}}  // namespace {namespace}\n"
    )
    try:
        with open(dst, encoding="utf-8") as f:
            if f.read() == text:
                return 0
    except OSError:
        pass
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
