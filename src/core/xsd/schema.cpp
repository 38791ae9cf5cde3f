// Compiles the schema model Xerces built from the bundle (XSModel) into istd's own tables: an
// ElementDecl per element declaration, a SimpleType check per simple type, and per complex type
// a deterministic automaton over its child elements. The automaton is built from the content
// model's particle tree: bounded repetitions are expanded into copies, unbounded ones become
// loops, the position (Glushkov) automaton of the result is made deterministic by the subset
// construction. Whatever the engine does not handle throws Unsupported, naming it.
#include "core/xsd/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <xercesc/framework/psvi/XSAttributeDeclaration.hpp>
#include <xercesc/framework/psvi/XSAttributeUse.hpp>
#include <xercesc/framework/psvi/XSComplexTypeDefinition.hpp>
#include <xercesc/framework/psvi/XSConstants.hpp>
#include <xercesc/framework/psvi/XSElementDeclaration.hpp>
#include <xercesc/framework/psvi/XSIDCDefinition.hpp>
#include <xercesc/framework/psvi/XSModel.hpp>
#include <xercesc/framework/psvi/XSModelGroup.hpp>
#include <xercesc/framework/psvi/XSNamedMap.hpp>
#include <xercesc/framework/psvi/XSParticle.hpp>
#include <xercesc/framework/psvi/XSSimpleTypeDefinition.hpp>
#include <xercesc/framework/psvi/XSTypeDefinition.hpp>
#include <xercesc/util/XMLString.hpp>

#include "core/xml/utf.hpp"
#include "core/xsd/simple_type.hpp"
#include "core/xsd/unsupported.hpp"

namespace istd::xsd {

namespace {

using xercesc::XSComplexTypeDefinition;
using xercesc::XSElementDeclaration;
using xercesc::XSModelGroup;
using xercesc::XSParticle;
using xercesc::XSSimpleTypeDefinition;
using xercesc::XSTypeDefinition;

/// Repetition bounds expanded into copies; a larger maxOccurs (or minOccurs) is Unsupported.
constexpr std::size_t kMaxExpandedOccurs = 50;
/// Positions of one content model after expansion, and states of its automaton.
constexpr std::size_t kMaxPositions = 5000;
constexpr std::size_t kMaxStates = 5000;

std::u16string schema_u16(const XMLCh* s) {
  if (!s) return {};
  return std::u16string(reinterpret_cast<const char16_t*>(s));
}

/// "{ns}local" or "local", for messages about schema components.
std::string component_name(const XMLCh* ns, const XMLCh* local) {
  const std::string l = local ? xml::utf8(local) : std::string("(anonymous)");
  if (!ns || !*ns) return l;
  return fmt::format("{{{}}}{}", xml::utf8(ns), l);
}

std::string type_name(const XSTypeDefinition& t) {
  if (t.getAnonymous() || !t.getName()) return "(anonymous)";
  return xml::utf8(t.getName());
}

bool is_xs_any_type(const XSTypeDefinition& t) {
  static const std::u16string kXs = u"http://www.w3.org/2001/XMLSchema";
  return t.getTypeCategory() == XSTypeDefinition::COMPLEX_TYPE && !t.getAnonymous() &&
         schema_u16(t.getName()) == u"anyType" && schema_u16(t.getNamespace()) == kXs;
}

/// A fragment of the position automaton: whether it matches the empty sequence, the positions
/// it can start with and those it can end with.
struct Fragment {
  bool nullable = true;
  std::vector<std::uint32_t> first;
  std::vector<std::uint32_t> last;
};

void add_all(std::vector<std::uint32_t>& to, const std::vector<std::uint32_t>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

/// Builds the position automaton of one complex type's content model.
class Glushkov {
 public:
  struct Position {
    const XSParticle* particle;  ///< the particle it is a copy of
    const ElementDecl* element;
  };

  Glushkov(std::string type, std::function<const ElementDecl*(const XSElementDeclaration&)> elem)
      : type_(std::move(type)), element_of_(std::move(elem)) {}

  Fragment particle(const XSParticle& p) {
    const std::size_t min = p.getMinOccurs();
    const bool unbounded = p.getMaxOccursUnbounded();
    const std::size_t max = unbounded ? min : p.getMaxOccurs();
    if (min > kMaxExpandedOccurs || (!unbounded && max > kMaxExpandedOccurs))
      throw Unsupported(fmt::format(
          "complex type '{}': occurrence bounds minOccurs={} maxOccurs={} are larger than the "
          "{} the compiled engine expands",
          type_, min, unbounded ? std::string("unbounded") : std::to_string(max),
          kMaxExpandedOccurs));
    if (!unbounded && max == 0) return Fragment{};
    Fragment out;  // empty sequence
    if (unbounded) {
      // T{min,} = T^(min-1) T+ (or T* when min is 0).
      for (std::size_t i = 1; i < min; ++i) out = seq(std::move(out), term(p));
      Fragment loop = plus(term(p));
      if (min == 0) loop.nullable = true;
      return seq(std::move(out), std::move(loop));
    }
    for (std::size_t i = 0; i < min; ++i) out = seq(std::move(out), term(p));
    // T{0,k} as (T (T (...)?)?)?: deterministic where T? T? would not be.
    Fragment tail;
    bool have_tail = false;
    for (std::size_t i = min; i < max; ++i) {
      Fragment t = term(p);
      if (have_tail) t = seq(std::move(t), std::move(tail));
      t.nullable = true;
      tail = std::move(t);
      have_tail = true;
    }
    if (have_tail) out = seq(std::move(out), std::move(tail));
    return out;
  }

  /// The follow set of every position (index 0 unused: the start).
  const std::vector<std::vector<std::uint32_t>>& follow() const { return follow_; }
  const std::vector<Position>& positions() const { return positions_; }

 private:
  Fragment term(const XSParticle& p) {
    switch (p.getTermType()) {
      case XSParticle::TERM_ELEMENT: {
        const XSElementDeclaration* d = const_cast<XSParticle&>(p).getElementTerm();
        if (positions_.size() >= kMaxPositions)
          throw Unsupported(fmt::format(
              "complex type '{}': the content model expands to more than {} positions", type_,
              kMaxPositions));
        const ElementDecl* e = element_of_(*d);
        const auto pos = static_cast<std::uint32_t>(positions_.size());
        positions_.push_back({&p, e});
        follow_.emplace_back();
        Fragment f;
        f.nullable = false;
        f.first = {pos};
        f.last = {pos};
        return f;
      }
      case XSParticle::TERM_MODELGROUP: {
        const XSModelGroup* g = const_cast<XSParticle&>(p).getModelGroupTerm();
        const auto comp = g->getCompositor();
        if (comp == XSModelGroup::COMPOSITOR_ALL)
          throw Unsupported(
              fmt::format("complex type '{}': xs:all is not supported by the compiled engine",
                          type_));
        const auto* list = g->getParticles();
        const std::size_t n = list ? list->size() : 0;
        if (comp == XSModelGroup::COMPOSITOR_SEQUENCE) {
          Fragment out;
          for (std::size_t i = 0; i < n; ++i) out = seq(std::move(out), particle(*list->elementAt(i)));
          return out;
        }
        if (comp == XSModelGroup::COMPOSITOR_CHOICE) {
          Fragment out;
          out.nullable = false;  // a choice of nothing matches nothing
          for (std::size_t i = 0; i < n; ++i) {
            Fragment c = particle(*list->elementAt(i));
            out.nullable = out.nullable || c.nullable;
            add_all(out.first, c.first);
            add_all(out.last, c.last);
          }
          return out;
        }
        throw Unsupported(fmt::format("complex type '{}': unknown model group compositor", type_));
      }
      case XSParticle::TERM_WILDCARD:
        throw Unsupported(fmt::format(
            "complex type '{}': wildcards (xs:any) are not supported by the compiled engine",
            type_));
      case XSParticle::TERM_EMPTY:
        return Fragment{};
    }
    throw Unsupported(fmt::format("complex type '{}': unknown particle term", type_));
  }

  Fragment seq(Fragment a, Fragment b) {
    for (std::uint32_t x : a.last) add_all(follow_[x], b.first);
    Fragment out;
    out.nullable = a.nullable && b.nullable;
    out.first = std::move(a.first);
    if (a.nullable) add_all(out.first, b.first);
    out.last = std::move(b.last);
    if (b.nullable) add_all(out.last, a.last);
    return out;
  }

  Fragment plus(Fragment a) {
    for (std::uint32_t x : a.last) add_all(follow_[x], a.first);
    return a;
  }

  std::string type_;
  std::function<const ElementDecl*(const XSElementDeclaration&)> element_of_;
  std::vector<Position> positions_{{nullptr, nullptr}};  // position 0: the start
  std::vector<std::vector<std::uint32_t>> follow_{{}};
};

void sort_unique(std::vector<std::uint32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

class Compiler {
 public:
  explicit Compiler(CompiledSchema& out) : out_(out) {}

  const ElementDecl* element(const XSElementDeclaration& d) {
    if (auto it = elements_.find(&d); it != elements_.end()) return it->second;
    const std::string what = component_name(d.getNamespace(), d.getName());
    auto& decl = const_cast<XSElementDeclaration&>(d);
    if (decl.getNillable())
      throw Unsupported(fmt::format("element '{}' is nillable", what));
    if (decl.getConstraintType() != xercesc::XSConstants::VALUE_CONSTRAINT_NONE)
      throw Unsupported(fmt::format("element '{}' has a default or fixed value", what));
    if (decl.getAbstract()) throw Unsupported(fmt::format("element '{}' is abstract", what));
    if (decl.getSubstitutionGroupAffiliation())
      throw Unsupported(fmt::format("element '{}' is a member of a substitution group", what));
    if (auto* idc = decl.getIdentityConstraints(); idc && idc->getLength() > 0)
      throw Unsupported(
          fmt::format("element '{}' has identity constraints (key, keyref, unique)", what));
    XSTypeDefinition* type = decl.getTypeDefinition();
    if (!type) throw Unsupported(fmt::format("element '{}' has no type", what));
    if (is_xs_any_type(*type))
      throw Unsupported(fmt::format("element '{}' has type xs:anyType", what));

    auto owned = std::make_unique<ElementDecl>();
    ElementDecl* e = owned.get();
    e->ns = schema_u16(d.getNamespace());
    e->ns_id = out_.namespace_id(e->ns);
    if (e->ns_id == CompiledSchema::kNoNamespaceId) {
      e->ns_id = static_cast<std::uint32_t>(out_.namespaces.size());
      out_.namespaces.push_back(e->ns);
    }
    e->local = schema_u16(d.getName());
    e->name = xml::utf8(d.getName());
    out_.elements.push_back(std::move(owned));
    elements_.emplace(&d, e);  // before the type: a type may contain its own element
    if (type->getTypeCategory() == XSTypeDefinition::SIMPLE_TYPE)
      e->simple = simple(static_cast<const XSSimpleTypeDefinition&>(*type));
    else
      e->complex = complex(static_cast<const XSComplexTypeDefinition&>(*type));
    return e;
  }

 private:
  const SimpleType* simple(const XSSimpleTypeDefinition& t) {
    if (auto it = simple_.find(&t); it != simple_.end()) return it->second;
    std::shared_ptr<const SimpleType> st = compile_simple_type(t);
    const SimpleType* raw = st.get();
    out_.simple_types.push_back(std::move(st));
    simple_.emplace(&t, raw);
    return raw;
  }

  const ComplexType* complex(const XSComplexTypeDefinition& t) {
    if (auto it = complex_.find(&t); it != complex_.end()) return it->second;
    // Xerces may hand out more than one object for a named type met through recursion: named
    // types are also found by name.
    std::u16string key;
    if (!t.getAnonymous() && t.getName()) {
      key = schema_u16(t.getNamespace()) + u'\x1' + schema_u16(t.getName());
      if (auto it = named_complex_.find(key); it != named_complex_.end()) {
        complex_.emplace(&t, it->second);
        return it->second;
      }
    }
    auto& ct = const_cast<XSComplexTypeDefinition&>(t);
    const std::string name = type_name(t);
    const std::string what = fmt::format("complex type '{}'", name);
    if (ct.getAbstract()) throw Unsupported(what + " is abstract");
    if (auto* uses = ct.getAttributeUses(); uses && uses->size() > 0)
      throw Unsupported(fmt::format("{} declares attributes ('{}'{})", what,
                                    xml::utf8(uses->elementAt(0)->getAttrDeclaration()->getName()),
                                    uses->size() > 1 ? ", ..." : ""));
    if (ct.getAttributeWildcard())
      throw Unsupported(what + " has an attribute wildcard (xs:anyAttribute)");
    auto owned = std::make_unique<ComplexType>();
    ComplexType* c = owned.get();
    c->name = name;
    out_.complex_types.push_back(std::move(owned));
    complex_.emplace(&t, c);  // before the content model: it may be recursive
    if (!key.empty()) named_complex_.emplace(key, c);
    switch (ct.getContentType()) {
      case XSComplexTypeDefinition::CONTENTTYPE_EMPTY:
        c->content = ComplexType::Content::empty;
        c->states.resize(1);
        c->states[0].accepting = true;
        return c;
      case XSComplexTypeDefinition::CONTENTTYPE_ELEMENT:
        c->content = ComplexType::Content::element_only;
        break;
      case XSComplexTypeDefinition::CONTENTTYPE_SIMPLE:
        throw Unsupported(what + " has simple content");
      case XSComplexTypeDefinition::CONTENTTYPE_MIXED:
        throw Unsupported(what + " has mixed content");
    }
    build_automaton(*c, ct.getParticle());
    return c;
  }

  void build_automaton(ComplexType& c, const XSParticle* root) {
    Glushkov g(c.name, [this](const XSElementDeclaration& d) { return element(d); });
    Fragment top;  // no particle: the empty sequence
    if (root) top = g.particle(*root);
    std::vector<std::vector<std::uint32_t>> follow = g.follow();
    follow[0] = top.first;
    for (auto& f : follow) sort_unique(f);
    sort_unique(top.last);
    const auto& pos = g.positions();

    // Subset construction: a state is a sorted set of positions (the start is position 0).
    std::map<std::vector<std::uint32_t>, std::uint32_t> ids;
    std::vector<std::vector<std::uint32_t>> sets{{0}};
    ids.emplace(sets[0], 0);
    c.states.clear();
    for (std::size_t s = 0; s < sets.size(); ++s) {
      ComplexType::State state;
      const std::vector<std::uint32_t> set = sets[s];
      for (std::uint32_t p : set)
        if ((p == 0 && top.nullable) || (p != 0 && std::binary_search(top.last.begin(), top.last.end(), p)))
          state.accepting = true;
      // The positions that may come next, grouped by element name in order of first appearance.
      std::vector<std::uint32_t> next;
      for (std::uint32_t p : set) add_all(next, follow[p]);
      sort_unique(next);
      std::vector<bool> done(next.size(), false);
      for (std::size_t i = 0; i < next.size(); ++i) {
        if (done[i]) continue;
        const ElementDecl* e = pos[next[i]].element;
        std::vector<std::uint32_t> target;
        for (std::size_t j = i; j < next.size(); ++j) {
          const ElementDecl* o = pos[next[j]].element;
          if (done[j] || o->local != e->local || o->ns != e->ns) continue;
          // Two particles competing for one element (XSD's Unique Particle Attribution): not
          // handled. Copies of one particle (a repetition expanded) may compete; the subset
          // construction resolves that.
          if (pos[next[j]].particle != pos[next[i]].particle)
            throw Unsupported(fmt::format(
                "complex type '{}': the content model is not deterministic: element '{}' can "
                "match two different particles",
                c.name, e->name));
          done[j] = true;
          target.push_back(next[j]);
        }
        auto [it, added] = ids.emplace(target, static_cast<std::uint32_t>(sets.size()));
        if (added) {
          if (sets.size() >= kMaxStates)
            throw Unsupported(fmt::format(
                "complex type '{}': the content model needs more than {} automaton states",
                c.name, kMaxStates));
          sets.push_back(target);
        }
        state.edges.push_back({e, it->second});
      }
      c.states.push_back(std::move(state));
    }
  }

  CompiledSchema& out_;
  std::unordered_map<const XSElementDeclaration*, const ElementDecl*> elements_;
  std::unordered_map<const XSComplexTypeDefinition*, const ComplexType*> complex_;
  std::unordered_map<std::u16string, const ComplexType*> named_complex_;
  std::unordered_map<const XSSimpleTypeDefinition*, const SimpleType*> simple_;
};

}  // namespace

const ElementDecl* CompiledSchema::global_element(std::u16string_view ns,
                                                  std::u16string_view local) const {
  for (const ElementDecl* e : globals)
    if (e->local == local && e->ns == ns) return e;
  return nullptr;
}

std::uint32_t CompiledSchema::namespace_id(std::u16string_view ns) const {
  for (std::size_t i = 0; i < namespaces.size(); ++i)
    if (namespaces[i] == ns) return static_cast<std::uint32_t>(i);
  return kNoNamespaceId;
}

std::shared_ptr<const CompiledSchema> compile_schema(const xercesc::XSModel& model,
                                                     const std::vector<std::string>& namespaces) {
  auto out = std::make_shared<CompiledSchema>();
  Compiler compiler(*out);
  auto& m = const_cast<xercesc::XSModel&>(model);
  xercesc::XSNamedMap<xercesc::XSObject>* map =
      m.getComponents(xercesc::XSConstants::ELEMENT_DECLARATION);
  const std::size_t n = map ? map->getLength() : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto* d = static_cast<const XSElementDeclaration*>(map->item(i));
    if (!namespaces.empty() &&
        std::find(namespaces.begin(), namespaces.end(), xml::utf8(d->getNamespace())) ==
            namespaces.end())
      continue;
    out->globals.push_back(compiler.element(*d));
  }
  return out;
}

}  // namespace istd::xsd
