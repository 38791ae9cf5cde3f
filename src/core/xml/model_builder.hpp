// Builds the typed model (core/model.hpp) from a stream of element events. Knows nothing of
// Xerces: the SAX handler in validator.cpp forwards to it, and tests drive it directly.
//
// It is a table-driven state machine: the path of local names below the root
// ("Client/StartProducten/StartProduct/Begindatum") selects what an element opens (a new
// StartProduct) or fills (a Text field). Elements it does not know are indexed as nodes (so
// findings can point at them) and otherwise ignored; the XSD decides whether they are allowed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"

namespace istd::xml {

class ModelBuilder {
 public:
  explicit ModelBuilder(model::Message& message) : m_(message) {}

  void start_element(std::string_view local_name, std::uint32_t line, std::uint32_t column);
  /// Text inside the current element (may arrive in several pieces).
  void characters(std::string_view utf8);
  /// Where text of the current element goes, or nullptr when the model does not keep it (so
  /// the caller can skip transcoding it).
  std::string* text_sink() { return collect_ ? &text_ : nullptr; }
  void end_element();

  /// The innermost open element, or kNoNode before the root / after it closed.
  model::NodeId current() const { return depth_ == 0 ? model::kNoNode : stack_[depth_ - 1].node; }
  std::size_t depth() const { return depth_; }
  /// Bytes of text collected for the innermost open element so far.
  std::size_t text_size() const { return text_.size(); }

  model::Message& message() { return m_; }

 private:
  struct Frame {
    model::NodeId node;
    std::uint32_t trie;  // position in the path tables, kDead below unknown elements
    std::vector<std::pair<std::string_view, std::uint32_t>> child_counts;
    std::vector<model::NodeId> children;
  };

  model::Message& m_;
  std::vector<Frame> stack_;  // frames are reused: only the first depth_ are open
  std::size_t depth_ = 0;
  std::string text_;
  bool collect_ = false;
};

}  // namespace istd::xml
