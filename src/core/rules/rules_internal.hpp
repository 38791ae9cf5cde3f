// Internals of the level-2 rules: helpers shared by the rule files and the check functions the
// table in rules.cpp refers to. Not part of istd_core's interface.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/rules/rules.hpp"

namespace istd::rules::detail {

using model::Message;
using model::NodeId;
using model::Text;

/// The date of a leaf (the XSD guaranteed the lexical form; nullopt when absent or odd).
inline std::optional<model::Date> date_of(const Text& t) {
  if (!t.present()) return std::nullopt;
  return model::parse_date(t.value);
}

/// Present and equal to one of the values.
inline bool is_one_of(const Text& t, std::initializer_list<std::string_view> values) {
  if (!t.present()) return false;
  for (auto v : values)
    if (t.value == v) return true;
  return false;
}

/// A value for texts: the raw text in single quotes, or "(absent)".
std::string shown(const Text& t);

/// A class instance for texts: "StopProduct 2" (the number only where same-named siblings
/// exist), for a Prestatie or a 323/325 Client prefixed by its client where there are several:
/// "Client 2 (Bsn ******018), Prestatie 3".
std::string label(const Message& m, NodeId class_node);

/// "Prestatie 1, Prestatie 2 and Prestatie 3": labels of class nodes for texts; after five,
/// "and N more" (the finding's paths still name every one).
std::string join_labels(const Message& m, const std::vector<NodeId>& nodes);

/// Logical key part: presence and text (an absent element matches only an absent one).
inline std::pair<bool, std::string_view> key(const Text& t) {
  return {t.present(), std::string_view(t.value)};
}

/// Groups of items with equal keys, in document order. `less`/`equal` compare items by index;
/// `report` gets each group of two or more (indices in document order, the last one last).
/// n·log n: a stable sort of indices, no per-item allocation.
template <typename Less, typename Equal, typename Report>
void duplicate_groups(std::size_t n, Less less, Equal equal, Report report) {
  if (n < 2) return;
  std::vector<std::uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0u);
  std::stable_sort(idx.begin(), idx.end(), less);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && equal(idx[i], idx[j])) ++j;
    if (j - i > 1)
      report(std::vector<std::uint32_t>(idx.begin() + static_cast<long>(i),
                                        idx.begin() + static_cast<long>(j)));
    i = j;
  }
}

/// Visits every Contact of a 301 client: the Contactgegevens ones, then each Relatie's.
template <typename F>
void for_each_contact(const Message& m, F f) {
  for (const auto& c : m.client.contacten) f(c);
  for (const auto& r : m.client.relatie)
    if (r.contact.node != model::kNoNode) f(r.contact);
}

// ---- check functions (one per rule; see the table in rules.cpp) ------------------------------

// 301 (rules_301.cpp)
void cd005(const Message&, Emit&);
void cd007(const Message&, Emit&);
void cd009(const Message&, Emit&);
void cd025(const Message&, Emit&);
void cd034(const Message&, Emit&);
void cs003(const Message&, Emit&);
void cs050(const Message&, Emit&);
void cs318(const Message&, Emit&);
void cs089(const Message&, Emit&);
void cs335(const Message&, Emit&);
void cs336(const Message&, Emit&);
void tr006(const Message&, Emit&);
void tr061(const Message&, Emit&);

// 301, 315, 317 products (rules_products.cpp)
void cd041(const Message&, Emit&);
void cd043(const Message&, Emit&);
void cd075(const Message&, Emit&);
void cd076(const Message&, Emit&);
void cd077(const Message&, Emit&);
void cd078(const Message&, Emit&);
void cd079(const Message&, Emit&);
void cd080(const Message&, Emit&);
void cd095(const Message&, Emit&);
void cd096(const Message&, Emit&);
void cs003_products(const Message&, Emit&);
void cs338(const Message&, Emit&);
void cs343(const Message&, Emit&);
void tr302(const Message&, Emit&);
void tr377(const Message&, Emit&);
void tr409(const Message&, Emit&);
void iv095(const Message&, Emit&);
void tr386(const Message&, Emit&);
void tr410(const Message&, Emit&);

// 315, 317, 319 requests and answers (rules_requests.cpp)
void cd066(const Message&, Emit&);
void cd067(const Message&, Emit&);
void cd068(const Message&, Emit&);
void cd085(const Message&, Emit&);
void cd086(const Message&, Emit&);
void tr352(const Message&, Emit&);
void tr353(const Message&, Emit&);
void tr380(const Message&, Emit&);
void tr383(const Message&, Emit&);

// several types (rules_common.cpp)
void cs002(const Message&, Emit&);
void cs139(const Message&, Emit&);
void tr002(const Message&, Emit&);
void tr101(const Message&, Emit&);
void tr134(const Message&, Emit&);

// 305/307 (rules_startstop.cpp)
void cs058(const Message&, Emit&);
void tr018(const Message&, Emit&);

// 323/325 (rules_323_325.cpp)
void cd060(const Message&, Emit&);
void cd087(const Message&, Emit&);
void cs100(const Message&, Emit&);
void cs325(const Message&, Emit&);
void cs337(const Message&, Emit&);
void cs339(const Message&, Emit&);
void cs340(const Message&, Emit&);
void tr137(const Message&, Emit&);
void tr315(const Message&, Emit&);
void tr316(const Message&, Emit&);
void tr319(const Message&, Emit&);
void tr335(const Message&, Emit&);
void tr342(const Message&, Emit&);
void tr358(const Message&, Emit&);
void tr416(const Message&, Emit&);

}  // namespace istd::rules::detail
