// The schema bundle of one standard compiled into istd's own validation tables: for every
// element declaration its type; for every complex type a deterministic automaton over its
// child elements (namespace, local name); for every simple type a compiled check
// (simple_type.hpp). Immutable once built: one CompiledSchema is shared by all worker threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xercesc/util/XercesDefs.hpp>

XERCES_CPP_NAMESPACE_BEGIN
class XSModel;
XERCES_CPP_NAMESPACE_END

namespace istd::xsd {

class SimpleType;
struct ComplexType;

/// An element declaration: its name and its type (exactly one of `simple` and `complex` set).
struct ElementDecl {
  std::u16string ns;     ///< namespace URI (empty when unqualified)
  std::uint32_t ns_id = 0;  ///< index of `ns` in CompiledSchema::namespaces
  std::u16string local;  ///< local name
  std::string name;      ///< local name in UTF-8, for findings
  const SimpleType* simple = nullptr;
  const ComplexType* complex = nullptr;
};

/// A complex type with element-only (or empty) content: a DFA over child elements.
struct ComplexType {
  /// Empty content allows no text at all, not even whitespace; element-only content allows
  /// whitespace between its elements.
  enum class Content { empty, element_only };
  struct Edge {
    const ElementDecl* element;  ///< the child this edge accepts (its ns + local name)
    std::uint32_t target;        ///< next state
  };
  struct State {
    std::vector<Edge> edges;
    bool accepting = false;
  };
  std::string name;           ///< for findings ("(anonymous)" when it has none)
  Content content = Content::element_only;
  std::vector<State> states;  ///< state 0 is the start state
};

class CompiledSchema {
 public:
  /// The global element declaration named (ns, local), or nullptr.
  const ElementDecl* global_element(std::u16string_view ns, std::u16string_view local) const;
  /// The index of `ns` in `namespaces`, or kNoNamespaceId when no element has it.
  std::uint32_t namespace_id(std::u16string_view ns) const;
  static constexpr std::uint32_t kNoNamespaceId = 0xFFFFFFFFu;

  /// Every namespace of an element declaration (ElementDecl::ns_id indexes it).
  std::vector<std::u16string> namespaces;

  // Owned storage (stable addresses).
  std::vector<std::unique_ptr<ElementDecl>> elements;
  std::vector<std::unique_ptr<ComplexType>> complex_types;
  std::vector<std::shared_ptr<const SimpleType>> simple_types;
  std::vector<const ElementDecl*> globals;
};

/// Compiles the global element declarations of `model` in `namespaces` (every one when it is
/// empty: a grammar pool may hold the schemas of both standards) and everything they use.
/// @throws Unsupported for a construct the engine does not handle (wildcards, attributes
/// other than xsi:*, mixed or simple content with attributes, xs:all, substitution groups,
/// identity constraints, nillable, default or fixed values, abstract elements, a content model
/// that is not deterministic, occurrence bounds it cannot expand), naming it.
std::shared_ptr<const CompiledSchema> compile_schema(const xercesc::XSModel& model,
                                                     const std::vector<std::string>& namespaces = {});

}  // namespace istd::xsd
