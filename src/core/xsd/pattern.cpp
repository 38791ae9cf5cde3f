// XML Schema regular expressions: a recursive-descent parser into a small syntax tree, then the
// position (Glushkov) automaton of the tree: one position per character class occurrence (with
// counted repetitions expanded), a "follow" set per position, the set of final positions.
// Matching keeps the set of positions reached as a bitset and advances it one code point at a
// time: linear in the text, whatever the pattern.
#include "core/xsd/pattern.hpp"

#include <algorithm>
#include <memory>

#include "core/xsd/unsupported.hpp"

namespace istd::xsd {

namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;
/// More positions than this (e.g. "[0-9]{1,100000}") is refused: the automaton would be huge.
constexpr std::size_t kMaxPositions = 4096;

/// Decodes the code point at text[i] and advances i; false for invalid UTF-8 (overlong forms,
/// surrogates, beyond U+10FFFF, truncated sequences).
bool decode_utf8(std::string_view text, std::size_t& i, char32_t& out) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    out = b0;
    ++i;
    return true;
  }
  int n = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 1;
    c = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2;
    c = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3;
    c = b0 & 0x07;
    min = 0x10000;
  } else {
    return false;
  }
  if (i + static_cast<std::size_t>(n) >= text.size()) return false;
  for (int k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) return false;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > kMaxCodePoint || (c >= 0xD800 && c <= 0xDFFF)) return false;
  out = c;
  i += static_cast<std::size_t>(n) + 1;
  return true;
}

}  // namespace

/// Parses a pattern and builds its position automaton into a Pattern.
class PatternBuilder {
 public:
  using CharSet = Pattern::CharSet;

  PatternBuilder(Pattern& p, std::string_view regex) : p_(p) {
    std::size_t i = 0;
    while (i < regex.size()) {
      char32_t c;
      if (!decode_utf8(regex, i, c)) fail("it is not valid UTF-8");
      cps_.push_back(c);
    }
  }

  void build() {
    Node root = parse_regexp();
    if (pos_ != cps_.size()) fail("unbalanced ')'");
    const std::size_t n = count(root) + 1;  // + the start position
    p_.words_ = (n + 63) / 64;
    p_.classes_.assign(n, {});
    p_.follow_.assign(n * p_.words_, 0);
    next_ = 1;
    Frag f = build(root);
    for (std::size_t w = 0; w < p_.words_; ++w) p_.follow_[w] = f.first[w];
    p_.last_ = f.last;
    if (f.nullable) p_.last_[0] |= 1;
    p_.ascii_.assign(128 * p_.words_, 0);
    for (std::size_t pos = 1; pos < n; ++pos) {
      const CharSet& set = p_.classes_[pos];
      for (char32_t c = 0; c < 128; ++c)
        if (Pattern::contains(set, c)) p_.ascii_[c * p_.words_ + pos / 64] |= bit(pos);
      if (!set.empty() && set.back().hi >= 0x80) p_.any_non_ascii_class_ = true;
    }
  }

 private:
  struct Node {
    enum class Kind { empty, atom, concat, alt, repeat } kind = Kind::empty;
    CharSet set;              // atom
    std::vector<Node> kids;   // concat, alt, repeat (one)
    std::size_t min = 0;      // repeat
    std::size_t max = 0;      // repeat; kUnbounded for no upper bound
  };
  static constexpr std::size_t kUnbounded = static_cast<std::size_t>(-1);

  struct Frag {
    bool nullable = true;
    std::vector<std::uint64_t> first, last;
  };

  [[noreturn]] void fail(const std::string& why) const {
    throw Unsupported("pattern '" + p_.source_ + "' is not supported: " + why);
  }

  static std::uint64_t bit(std::size_t pos) { return std::uint64_t{1} << (pos % 64); }

  bool at_end() const { return pos_ >= cps_.size(); }
  char32_t peek(std::size_t ahead = 0) const {
    return pos_ + ahead < cps_.size() ? cps_[pos_ + ahead] : 0xFFFFFFFF;
  }

  // -- character sets ----------------------------------------------------------------------

  static void normalise(CharSet& s) {
    std::sort(s.begin(), s.end(), [](auto a, auto b) { return a.lo < b.lo; });
    CharSet out;
    for (const auto& r : s) {
      if (!out.empty() && r.lo <= out.back().hi + 1)
        out.back().hi = std::max(out.back().hi, r.hi);
      else
        out.push_back(r);
    }
    s = std::move(out);
  }
  static CharSet complement(const CharSet& s) {
    CharSet out;
    char32_t next = 0;
    for (const auto& r : s) {
      if (r.lo > next) out.push_back({next, r.lo - 1});
      next = r.hi + 1;
    }
    if (next <= kMaxCodePoint) out.push_back({next, kMaxCodePoint});
    return out;
  }
  static CharSet space_set() { return {{0x09, 0x0A}, {0x0D, 0x0D}, {0x20, 0x20}}; }
  /// \d: the decimal digits (Unicode category Nd) of the Unicode version Xerces-C's tables hold.
  static CharSet digit_set() {
    return {{0x30, 0x39},     {0x660, 0x669},   {0x6F0, 0x6F9},   {0x966, 0x96F},
            {0x9E6, 0x9EF},   {0xA66, 0xA6F},   {0xAE6, 0xAEF},   {0xB66, 0xB6F},
            {0xBE7, 0xBEF},   {0xC66, 0xC6F},   {0xCE6, 0xCEF},   {0xD66, 0xD6F},
            {0xE50, 0xE59},   {0xED0, 0xED9},   {0xF20, 0xF29},   {0x1040, 0x1049},
            {0x1369, 0x1371}, {0x17E0, 0x17E9}, {0x1810, 0x1819}, {0xFF10, 0xFF19}};
  }

  /// After a backslash: a single-character escape (returns true, sets `c`) or a multi-character
  /// escape (returns false, sets `set`).
  bool parse_escape(char32_t& c, CharSet& set) {
    if (at_end()) fail("it ends with a lone '\\'");
    const char32_t e = cps_[pos_++];
    switch (e) {
      case 'n': c = '\n'; return true;
      case 'r': c = '\r'; return true;
      case 't': c = '\t'; return true;
      case '\\': case '|': case '.': case '-': case '^': case '?': case '*': case '+':
      case '{': case '}': case '(': case ')': case '[': case ']':
        c = e;
        return true;
      case 's': set = space_set(); return false;
      case 'S': set = complement(space_set()); return false;
      case 'd': set = digit_set(); return false;
      case 'D': set = complement(digit_set()); return false;
      default:
        break;
    }
    if (e < 0x80)
      fail(std::string("the escape '\\") + static_cast<char>(e) + "' is not handled");
    fail("an escape of a non-ASCII character");
  }

  // -- parser --------------------------------------------------------------------------------

  Node parse_regexp() {
    Node first = parse_branch();
    if (peek() != '|') return first;
    Node alt;
    alt.kind = Node::Kind::alt;
    alt.kids.push_back(std::move(first));
    while (peek() == '|') {
      ++pos_;
      alt.kids.push_back(parse_branch());
    }
    return alt;
  }

  Node parse_branch() {
    Node seq;
    seq.kind = Node::Kind::concat;
    while (!at_end() && peek() != '|' && peek() != ')') seq.kids.push_back(parse_piece());
    if (seq.kids.empty()) return Node{};
    if (seq.kids.size() == 1) return std::move(seq.kids.front());
    return seq;
  }

  std::size_t parse_number() {
    if (at_end() || peek() < '0' || peek() > '9') fail("a quantifier {..} without a number");
    std::size_t n = 0;
    while (!at_end() && peek() >= '0' && peek() <= '9') {
      n = n * 10 + (cps_[pos_++] - '0');
      if (n > 1000000) fail("a quantifier bound is too large");
    }
    return n;
  }

  Node parse_piece() {
    Node atom = parse_atom();
    std::size_t min = 1, max = 1;
    switch (peek()) {
      case '?': min = 0; max = 1; ++pos_; break;
      case '*': min = 0; max = kUnbounded; ++pos_; break;
      case '+': min = 1; max = kUnbounded; ++pos_; break;
      case '{':
        ++pos_;
        min = max = parse_number();
        if (peek() == ',') {
          ++pos_;
          max = peek() == '}' ? kUnbounded : parse_number();
        }
        if (peek() != '}') fail("a quantifier {..} is not closed");
        ++pos_;
        if (max < min) fail("a quantifier {n,m} has m < n");
        break;
      default:
        return atom;
    }
    Node rep;
    rep.kind = Node::Kind::repeat;
    rep.min = min;
    rep.max = max;
    rep.kids.push_back(std::move(atom));
    return rep;
  }

  Node parse_atom() {
    Node atom;
    atom.kind = Node::Kind::atom;
    const char32_t c = cps_[pos_++];
    switch (c) {
      case '(': {
        Node inner = parse_regexp();
        if (peek() != ')') fail("a '(' is not closed");
        ++pos_;
        return inner;
      }
      case '[':
        atom.set = parse_class();
        return atom;
      case '.':
        atom.set = complement({{'\n', '\n'}, {'\r', '\r'}});
        return atom;
      case '\\': {
        char32_t e;
        if (parse_escape(e, atom.set)) atom.set = {{e, e}};
        return atom;
      }
      case '?': case '*': case '+': case '{': case '}': case ')': case '|': case ']':
        fail(std::string("a misplaced '") + static_cast<char>(c) + "'");
      default:
        atom.set = {{c, c}};
        return atom;
    }
  }

  /// After '[': the character group up to and including its ']'.
  CharSet parse_class() {
    CharSet set;
    bool negated = false;
    if (peek() == '^') {
      negated = true;
      ++pos_;
    }
    bool first = true;
    while (true) {
      if (at_end()) fail("a '[' is not closed");
      char32_t c = cps_[pos_];
      if (c == ']' && !first) {
        ++pos_;
        break;
      }
      if (c == '[') fail("nested character classes or class subtraction");
      if (c == '-' && peek(1) == '[') fail("character class subtraction");
      ++pos_;
      first = false;
      if (c == '\\') {
        CharSet esc;
        if (!parse_escape(c, esc)) {
          set.insert(set.end(), esc.begin(), esc.end());
          if (peek() == '-' && peek(1) != ']' && peek(1) != '[')
            fail("a range starts with a multi-character escape");
          continue;
        }
      } else if (c == ']') {
        fail("an empty character class");
      }
      char32_t hi = c;
      if (peek() == '-' && peek(1) != ']' && peek(1) != 0xFFFFFFFF) {
        if (peek(1) == '[') fail("character class subtraction");
        pos_ += 1;
        hi = cps_[pos_++];
        if (hi == '\\') {
          CharSet esc;
          if (!parse_escape(hi, esc)) fail("a range ends with a multi-character escape");
        } else if (hi == '[') {
          fail("character class subtraction");
        }
        if (hi < c) fail("a range whose end is before its start");
      }
      set.push_back({c, hi});
    }
    normalise(set);
    return negated ? complement(set) : set;
  }

  // -- automaton -----------------------------------------------------------------------------

  std::size_t count(const Node& n) const {
    std::size_t total = 0;
    switch (n.kind) {
      case Node::Kind::empty:
        return 0;
      case Node::Kind::atom:
        return 1;
      case Node::Kind::concat:
      case Node::Kind::alt:
        for (const auto& k : n.kids) total += count(k);
        break;
      case Node::Kind::repeat: {
        const std::size_t copies = n.max == kUnbounded ? std::max<std::size_t>(n.min, 1) : n.max;
        const std::size_t each = count(n.kids.front());
        if (each != 0 && copies > kMaxPositions / each) fail("it expands to too many positions");
        total = each * copies;
        break;
      }
    }
    if (total > kMaxPositions) fail("it expands to too many positions");
    return total;
  }

  std::vector<std::uint64_t> empty_set() const { return std::vector<std::uint64_t>(p_.words_, 0); }
  static void unite(std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    for (std::size_t w = 0; w < a.size(); ++w) a[w] |= b[w];
  }
  /// follow[x] |= to, for every x in `from`.
  void link(const std::vector<std::uint64_t>& from, const std::vector<std::uint64_t>& to) {
    for (std::size_t w = 0; w < from.size(); ++w) {
      for (std::uint64_t bits = from[w]; bits != 0; bits &= bits - 1) {
        const std::size_t x = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
        for (std::size_t v = 0; v < p_.words_; ++v) p_.follow_[x * p_.words_ + v] |= to[v];
      }
    }
  }
  Frag empty_frag() const { return Frag{true, empty_set(), empty_set()}; }
  void append(Frag& acc, const Frag& f) {
    link(acc.last, f.first);
    if (acc.nullable) unite(acc.first, f.first);
    if (f.nullable)
      unite(acc.last, f.last);
    else
      acc.last = f.last;
    acc.nullable = acc.nullable && f.nullable;
  }

  Frag build(const Node& n) {
    switch (n.kind) {
      case Node::Kind::empty:
        return empty_frag();
      case Node::Kind::atom: {
        const std::size_t pos = next_++;
        p_.classes_[pos] = n.set;
        Frag f{false, empty_set(), empty_set()};
        f.first[pos / 64] |= bit(pos);
        f.last[pos / 64] |= bit(pos);
        return f;
      }
      case Node::Kind::concat: {
        Frag acc = empty_frag();
        for (const auto& k : n.kids) append(acc, build(k));
        return acc;
      }
      case Node::Kind::alt: {
        Frag acc{false, empty_set(), empty_set()};
        for (const auto& k : n.kids) {
          Frag f = build(k);
          unite(acc.first, f.first);
          unite(acc.last, f.last);
          acc.nullable = acc.nullable || f.nullable;
        }
        return acc;
      }
      case Node::Kind::repeat: {
        const Node& kid = n.kids.front();
        Frag acc = empty_frag();
        if (n.max == kUnbounded) {
          for (std::size_t i = 1; i < n.min; ++i) append(acc, build(kid));
          Frag loop = build(kid);  // kid+ (or kid* when min is 0)
          link(loop.last, loop.first);
          if (n.min == 0) loop.nullable = true;
          append(acc, loop);
        } else {
          for (std::size_t i = 0; i < n.min; ++i) append(acc, build(kid));
          for (std::size_t i = n.min; i < n.max; ++i) {
            Frag opt = build(kid);  // kid?: a{0,k} is kid? repeated k times
            opt.nullable = true;
            append(acc, opt);
          }
        }
        return acc;
      }
    }
    return empty_frag();
  }

  Pattern& p_;
  std::vector<char32_t> cps_;
  std::size_t pos_ = 0;
  std::size_t next_ = 1;
};

Pattern::Pattern(std::string_view regex) : source_(regex) {
  PatternBuilder b(*this, regex);
  b.build();
  build_ascii_dfa();
}

void Pattern::build_ascii_dfa() {
  // Subset construction over ASCII for patterns of at most 64 positions: each DFA state is a
  // set of positions (one word). Left out (the NFA runs alone) when it would be large.
  if (words_ != 1) return;
  constexpr std::size_t kMaxStates = 256;
  std::vector<std::uint64_t> sets{1};  // state 0: the start position
  std::vector<std::uint16_t> table;
  for (std::size_t k = 0; k < sets.size(); ++k) {
    const std::uint64_t cur = sets[k];
    std::uint64_t reach = 0;
    for (std::uint64_t bits = cur; bits != 0; bits &= bits - 1)
      reach |= follow_[static_cast<std::size_t>(__builtin_ctzll(bits))];
    for (std::size_t c = 0; c < 128; ++c) {
      const std::uint64_t next = reach & ascii_[c];
      std::uint16_t target = kDead;
      if (next != 0) {
        auto it = std::find(sets.begin(), sets.end(), next);
        if (it == sets.end()) {
          if (sets.size() == kMaxStates) return;
          sets.push_back(next);
          it = sets.end() - 1;
        }
        target = static_cast<std::uint16_t>(it - sets.begin());
      }
      table.push_back(target);
    }
  }
  dfa_ = std::move(table);
  dfa_accepts_.resize(sets.size());
  for (std::size_t k = 0; k < sets.size(); ++k) dfa_accepts_[k] = (sets[k] & last_[0]) != 0;
}

bool Pattern::contains(const CharSet& set, char32_t c) {
  auto it = std::upper_bound(set.begin(), set.end(), c,
                             [](char32_t v, const Range& r) { return v < r.lo; });
  return it != set.begin() && c <= std::prev(it)->hi;
}

bool Pattern::matches(std::string_view text) const {
  if (!dfa_.empty()) {
    // ASCII text through the DFA; text with other characters through the NFA below.
    std::size_t state = 0;
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c >= 128) break;
      const std::uint16_t next = dfa_[state * 128 + c];
      if (next == kDead) return false;
      state = next;
    }
    if (i == text.size()) return dfa_accepts_[state];
  }
  constexpr std::size_t kStackWords = 16;
  std::uint64_t stack_buf[2 * kStackWords];
  std::unique_ptr<std::uint64_t[]> heap;
  std::uint64_t* cur = stack_buf;
  if (words_ > kStackWords) {
    heap.reset(new std::uint64_t[2 * words_]);
    cur = heap.get();
  }
  std::uint64_t* nxt = cur + words_;
  std::fill(cur, cur + words_, 0);
  cur[0] = 1;  // the start position
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t c;
    if (!decode_utf8(text, i, c)) return false;
    std::fill(nxt, nxt + words_, 0);
    for (std::size_t w = 0; w < words_; ++w) {
      for (std::uint64_t bits = cur[w]; bits != 0; bits &= bits - 1) {
        const std::size_t x = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
        const std::uint64_t* f = &follow_[x * words_];
        for (std::size_t v = 0; v < words_; ++v) nxt[v] |= f[v];
      }
    }
    bool any = false;
    if (c < 128) {
      const std::uint64_t* m = &ascii_[c * words_];
      for (std::size_t v = 0; v < words_; ++v) any |= (nxt[v] &= m[v]) != 0;
    } else if (!any_non_ascii_class_) {
      return false;
    } else {
      for (std::size_t v = 0; v < words_; ++v) {
        for (std::uint64_t bits = nxt[v]; bits != 0; bits &= bits - 1) {
          const std::size_t x = v * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
          if (!contains(classes_[x], c)) nxt[v] &= ~(std::uint64_t{1} << (x % 64));
        }
        any |= nxt[v] != 0;
      }
    }
    if (!any) return false;
    std::swap(cur, nxt);
  }
  for (std::size_t v = 0; v < words_; ++v)
    if ((cur[v] & last_[v]) != 0) return true;
  return false;
}

}  // namespace istd::xsd
