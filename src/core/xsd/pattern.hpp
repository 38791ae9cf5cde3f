// XML Schema 1.0 regular expressions (the pattern facet): compiled into a position (Glushkov)
// automaton over Unicode code points and matched against UTF-8 text in time linear in the
// text's length (no backtracking: values are untrusted input). A pattern always covers the
// whole value (XSD patterns are implicitly anchored at both ends).
//
// Supported: literals, '.', the single-character escapes (\n \r \t \\ \| \. \- \^ \? \* \+ \{
// \} \( \) \[ \]), \s \S \d \D, character classes with ranges and negation, groups,
// alternation and the quantifiers ? * + {n} {n,} {n,m}. Anything else (class subtraction,
// \p{..} categories, \w \i \c and their complements) is refused with Unsupported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace istd::xsd {

class Pattern {
 public:
  /// Compiles `regex` (UTF-8).
  /// @throws Unsupported naming the pattern when it uses a construct not handled, is not a
  /// well-formed XSD regular expression, or expands to too many positions.
  explicit Pattern(std::string_view regex);

  /// True when the whole of `text` (UTF-8) matches. Invalid UTF-8 never matches.
  bool matches(std::string_view text) const;

  /// The pattern as written in the schema.
  const std::string& source() const { return source_; }

 private:
  struct Range {
    char32_t lo, hi;
  };
  /// A set of code points: sorted, disjoint, non-adjacent ranges.
  using CharSet = std::vector<Range>;

  static bool contains(const CharSet& set, char32_t c);

  std::string source_;
  std::size_t words_ = 0;                 ///< 64-bit words per position set
  std::vector<CharSet> classes_;          ///< per position (position 0, the start, has none)
  std::vector<std::uint64_t> follow_;     ///< per position: the positions that may follow it
  std::vector<std::uint64_t> last_;       ///< positions at which a match may end
  std::vector<std::uint64_t> ascii_;      ///< per ASCII character: the positions accepting it
  bool any_non_ascii_class_ = false;      ///< some position accepts a character >= 0x80
  /// The same automaton as a DFA over ASCII (per state 128 next states), for ASCII text; empty
  /// when the pattern has over 64 positions or the DFA over 256 states.
  static constexpr std::uint16_t kDead = 0xFFFF;
  std::vector<std::uint16_t> dfa_;
  std::vector<bool> dfa_accepts_;
  void build_ascii_dfa();

  friend class PatternBuilder;
};

}  // namespace istd::xsd
