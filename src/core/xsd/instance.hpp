// Runs a CompiledSchema over the events of a non-validating parse of one document: the
// content-model automata on element starts and ends, the simple-type checks on element text.
// The caller (Validator) turns each failure into a finding with the line, column and path of
// the current element. One InstanceValidator per thread; reset() before each document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/xsd/schema.hpp"

namespace istd::xsd {

class InstanceValidator {
 public:
  /// One attribute of a start tag, as a namespace-aware parser reports it (namespace
  /// declarations, xmlns and xmlns:*, are not attributes and must not be passed).
  struct Attribute {
    std::u16string_view ns;     ///< namespace URI (empty when unqualified)
    std::u16string_view local;  ///< local name
    std::u16string_view value;  ///< normalised value
  };

  explicit InstanceValidator(const CompiledSchema& schema);

  /// Forgets the document being validated.
  void reset();

  /// An element starts. `ns` must stay valid, and its text unchanged, until reset(): the
  /// namespace of a pointer seen before is not read again (a parser hands one pointer per
  /// namespace for a whole document). `attributes` are its attributes other than namespace declarations.
  /// The schemas declare no attributes: any attribute outside the XML Schema instance namespace
  /// (http://www.w3.org/2001/XMLSchema-instance) is an error. Of the xsi: attributes,
  /// schemaLocation (pairs of namespace and location, as Xerces requires) and
  /// noNamespaceSchemaLocation are allowed everywhere (and otherwise ignored, as Xerces ignores
  /// them with cached grammars); xsi:nil is an error (no element is nillable);
  /// xsi:type is an error too (the engine does not switch types; Xerces accepts it when it
  /// names the declared type). False, with `why`, when the element is not allowed here (e.g.
  /// "element 'Foo' is not allowed here; expected 'Bar' or 'Baz'", "element 'Client' is not
  /// allowed here: 'Bericht' has no more elements after 'Header'") or one of its attributes is
  /// not. An element that is not allowed is skipped with everything in it (its attributes are
  /// then not looked at).
  bool start_element(const char16_t* ns, const char16_t* local,
                     std::span<const Attribute> attributes, std::string& why);
  /// Text inside the current element (may come in several pieces; all character data, CDATA
  /// sections and whitespace included, in document order). Text outside the root element and
  /// inside a skipped element is ignored.
  bool characters(const char16_t* text, std::size_t length, std::string& why);
  /// A CDATA section starts inside the current element (LexicalHandler::startCDATA; its text
  /// still comes through characters()). Xerces takes a CDATA section in element-only or empty
  /// content for character data even when it holds only whitespace, or nothing.
  bool cdata_section(std::string& why);
  /// The current element ends: its text is checked against its simple type, or its content
  /// model must be in an accepting state ("element 'Client' is incomplete: expected 'Bsn'").
  bool end_element(std::string& why);

 private:
  struct Frame {
    const ElementDecl* decl = nullptr;
    std::uint32_t state = 0;                  ///< state of decl->complex's automaton
    const ElementDecl* last_child = nullptr;  ///< the last child accepted, for findings
    bool bad_text = false;     ///< text not allowed here was reported (once per element)
    bool had_child = false;    ///< a simple-typed element had a child element (reported)
  };
  bool attributes_ok(const ElementDecl& decl, std::span<const Attribute> attributes,
                     std::string& why) const;
  std::string expected_text(const Frame& f) const;

  /// The namespace of an element start: its id, found once per namespace string the parser
  /// hands over (a parser gives one pointer per namespace for the whole document).
  std::uint32_t namespace_of(const char16_t* ns, std::u16string_view& text);

  const CompiledSchema& schema_;
  struct SeenNamespace {
    const char16_t* pointer;
    std::u16string_view text;
    std::uint32_t id;
  };
  std::vector<SeenNamespace> seen_namespaces_;  ///< of this document (reset() forgets them)
  std::vector<Frame> stack_;
  std::size_t skip_depth_ = 0;  ///< > 0 inside an element that was not allowed
  bool root_done_ = false;      ///< the root element was seen (a second one is not parsed)
  std::string text_;            ///< UTF-8 text of the current simple-typed element
  char16_t pending_high_ = 0;   ///< a high surrogate at the end of the last piece of text
};

}  // namespace istd::xsd
