// UTF-16 (what Xerces hands over) to UTF-8 (what istd keeps), shared by the validator and the
// compiled schema engine.
#pragma once

#include <cstddef>
#include <string>

namespace istd::xml {

/// Appends one code point as UTF-8.
inline void put_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

/// Appends `n` UTF-16 units as UTF-8. Unpaired surrogates become U+FFFD. With `pending`, text
/// that comes in pieces: a high surrogate ending a piece waits there for the next piece.
template <class Unit>
void append_utf8(std::string& out, const Unit* s, std::size_t n, char16_t* pending = nullptr) {
  static_assert(sizeof(Unit) == 2, "UTF-16 units");
  std::size_t i = 0;
  if (pending && *pending != 0) {
    if (n > 0 && s[0] >= 0xDC00 && s[0] <= 0xDFFF) {
      put_utf8(out, 0x10000 + ((char32_t(*pending) - 0xD800) << 10) + (char32_t(s[0]) - 0xDC00));
      i = 1;
    } else {
      put_utf8(out, 0xFFFD);
    }
    *pending = 0;
  }
  for (; i < n; ++i) {
    char32_t c = s[i];
    if (c < 0x80) {
      // A run of ASCII, the common case, copied without growing the string per byte.
      std::size_t end = i + 1;
      while (end < n && s[end] < 0x80) ++end;
      const std::size_t at = out.size();
      out.resize(at + (end - i));
      for (std::size_t k = i; k < end; ++k) out[at + k - i] = static_cast<char>(s[k]);
      i = end - 1;
      continue;
    }
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 == n && pending) {
        *pending = static_cast<char16_t>(c);
        break;
      }
      if (i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (char32_t(s[i + 1]) - 0xDC00);
        ++i;
      } else {
        c = 0xFFFD;
      }
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    put_utf8(out, c);
  }
}

/// A NUL-terminated UTF-16 string as UTF-8 ("" for nullptr).
template <class Unit>
std::string utf8(const Unit* s) {
  std::string out;
  if (!s) return out;
  std::size_t n = 0;
  while (s[n] != 0) ++n;
  append_utf8(out, s, n);
  return out;
}

}  // namespace istd::xml
