// A small streaming XML writer for the messages istd produces (retour messages, 325 answers,
// reports): qualified names, escaping, tab indentation. Not a general-purpose serializer.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace istd::util {

class XmlWriter {
 public:
  XmlWriter() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }

  /// Opens an element. Namespace declarations (`{"xmlns:wmo306", "http://..."}`) go on the root.
  XmlWriter& open(std::string_view qname,
                  const std::vector<std::pair<std::string, std::string>>& attributes = {});
  XmlWriter& close();
  /// An element with text content (escaped).
  XmlWriter& leaf(std::string_view qname, std::string_view text);
  /// `leaf` only when `text` is non-empty... use for optional elements that are absent when empty.
  XmlWriter& leaf_if(std::string_view qname, std::string_view text) {
    return text.empty() ? *this : leaf(qname, text);
  }
  /// Closes everything still open and returns the document.
  std::string finish();

  static std::string escape(std::string_view s);

 private:
  void indent();
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace istd::util
