// Level-2 rules of iWmo 3.2: the CD, CS and TR checks the official validation
// XSLT (trcdcs.xsl 2.10.5) applies inside one message. Rules are data: a table of rule code,
// retourcode, message types and a check function over the typed model.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/model.hpp"

namespace istd::rules {

/// The version of the official validation XSLT whose verdicts these rules reproduce.
inline constexpr std::string_view kXsltVersie = "2.10.5";

/// Runs every level-2 rule that applies to the message's type. The message must be XSD-valid.
/// Findings come in document order of their primary element (as the XSLT walks the message),
/// rules on the same element in rule-table order.
std::vector<Finding> check(const model::Message& message);

struct Rule;

/// Where a rule's check function reports: one call per finding.
class Emit {
 public:
  Emit(const model::Message& m, const Rule& rule, std::vector<Finding>& out,
       std::vector<model::NodeId>& primary)
      : msg_(m), rule_(rule), out_(out), primary_(primary) {}

  /// Reports a finding. `nodes`: every element involved, the primary one first (absent
  /// elements, kNoNode, are skipped). `text`: plain English, what is wrong and how to fix it.
  void operator()(std::initializer_list<model::NodeId> nodes, std::string text,
                  Severity severity = Severity::error) {
    report(nodes.begin(), nodes.size(), std::move(text), severity);
  }
  void operator()(const std::vector<model::NodeId>& nodes, std::string text,
                  Severity severity = Severity::error) {
    report(nodes.data(), nodes.size(), std::move(text), severity);
  }

  const model::Message& message() const { return msg_; }

 private:
  void report(const model::NodeId* nodes, std::size_t n, std::string text, Severity severity);

  const model::Message& msg_;
  const Rule& rule_;
  std::vector<Finding>& out_;
  std::vector<model::NodeId>& primary_;
};

using CheckFn = void (*)(const model::Message&, Emit&);

/// Bit of a message type in `Rule::types`.
constexpr std::uint32_t type_bit(model::MessageType t) {
  return std::uint32_t{1} << static_cast<unsigned>(t);
}

/// Bits of `Rule::standards`.
inline constexpr std::uint8_t kIwmo = 1;
inline constexpr std::uint8_t kIjw = 2;
inline constexpr std::uint8_t kBothStandards = kIwmo | kIjw;

/// One level-2 rule of the standard.
struct Rule {
  std::string_view code;        ///< "TR018"
  std::string_view retourcode;  ///< "0001" for every level-2 rule (IV032)
  std::uint32_t types = 0;      ///< messages it is checked on: type_bit of the iWmo type
                                ///< with the same number (WMO305 stands for JW305 too)
  std::string_view title;       ///< one line: what the rule requires
  CheckFn check = nullptr;
  std::uint8_t standards = kBothStandards;  ///< kIwmo, kIjw or both

  bool applies_to(model::MessageType t) const;
  /// The message types of both standards it is checked on.
  std::vector<model::MessageType> message_types() const;
  /// "iWmo 3.2", "iJw 3.2" or "iWmo 3.2 and iJw 3.2".
  std::string standards_text() const;
};

/// Every rule of trcdcs.xsl 2.10.5 of both standards, in the XSLT's order: the 58 of iWmo
/// 3.2, which iJw 3.2 shares (CS050, TR302, TR386 and TR410 check a little differently there),
/// and the 3 that only iJw 3.2 has (CS318, TR377, TR409).
const std::vector<Rule>& rule_table();

/// The rule with this code, or nullptr.
const Rule* find_rule(std::string_view code);

}  // namespace istd::rules
