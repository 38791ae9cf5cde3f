// InstanceValidator: runs a CompiledSchema over the events of a non-validating parse. A stack of
// open elements, each with its declaration and the state of its type's automaton; an element
// start moves the parent's automaton along the edge named like the element, an element end
// checks the automaton is in an accepting state or the collected text against the simple type.
// An element that is not allowed is skipped with everything in it (one finding, not a cascade).
#include "core/xsd/instance.hpp"

#include <cstring>

#include <fmt/format.h>

#include "core/xml/utf.hpp"
#include "core/xsd/simple_type.hpp"

namespace istd::xsd {

namespace {

constexpr std::u16string_view kXsiNamespace = u"http://www.w3.org/2001/XMLSchema-instance";
/// Expected element names listed in a finding before "or one of N more".
constexpr std::size_t kMaxListed = 5;
/// Characters of offending text quoted in a finding.
constexpr std::size_t kMaxQuoted = 40;

std::string names_utf8(std::u16string_view s) {
  std::string out;
  char16_t pending = 0;
  xml::append_utf8(out, s.data(), s.size(), &pending);
  if (pending != 0) xml::put_utf8(out, 0xFFFD);
  return out;
}

bool is_xml_space(char16_t c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r'; }

/// The text as quoted in a finding: whitespace at both ends trimmed, at most kMaxQuoted
/// characters.
std::string quoted_text(const char16_t* text, std::size_t length) {
  std::size_t b = 0, e = length;
  while (b < e && is_xml_space(text[b])) ++b;
  while (e > b && is_xml_space(text[e - 1])) --e;
  const bool cut = e - b > kMaxQuoted;
  if (cut) {
    e = b + kMaxQuoted;
    if (text[e - 1] >= 0xD800 && text[e - 1] <= 0xDBFF) --e;  // do not split a pair
  }
  std::string out = names_utf8(std::u16string_view(text + b, e - b));
  if (cut) out += "...";
  return out;
}

std::string ns_text(std::u16string_view ns) {
  return ns.empty() ? std::string("(no namespace)") : names_utf8(ns);
}

}  // namespace

InstanceValidator::InstanceValidator(const CompiledSchema& schema) : schema_(schema) {
  stack_.reserve(32);
  text_.reserve(256);
}

void InstanceValidator::reset() {
  seen_namespaces_.clear();
  stack_.clear();
  skip_depth_ = 0;
  root_done_ = false;
  text_.clear();
  pending_high_ = 0;
}

std::string InstanceValidator::expected_text(const Frame& f) const {
  const ComplexType::State& st = f.decl->complex->states[f.state];
  std::vector<std::string> items;
  for (std::size_t i = 0; i < st.edges.size() && i < kMaxListed; ++i)
    items.push_back(fmt::format("'{}'", st.edges[i].element->name));
  if (st.edges.size() > kMaxListed)
    items.push_back(fmt::format("one of {} more", st.edges.size() - kMaxListed));
  else if (st.accepting)
    items.push_back(fmt::format("the end of '{}'", f.decl->name));
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

bool InstanceValidator::attributes_ok(const ElementDecl& decl,
                                      std::span<const Attribute> attributes,
                                      std::string& why) const {
  for (const Attribute& a : attributes) {
    if (a.ns == kXsiNamespace) {
      if (a.local == u"noNamespaceSchemaLocation") continue;
      if (a.local == u"schemaLocation") {
        // Namespace and location pairs, as Xerces requires even when it loads no schema.
        std::size_t tokens = 0;
        for (std::size_t i = 0; i < a.value.size();) {
          while (i < a.value.size() && is_xml_space(a.value[i])) ++i;
          if (i == a.value.size()) break;
          ++tokens;
          while (i < a.value.size() && !is_xml_space(a.value[i])) ++i;
        }
        if (tokens % 2 == 0) continue;
        why = fmt::format(
            "attribute xsi:schemaLocation of element '{}' does not hold pairs of a namespace "
            "and a location ({} item(s))",
            decl.name, tokens);
        return false;
      }
      if (a.local == u"nil") {
        why = fmt::format("attribute xsi:nil is not allowed: element '{}' is not nillable",
                          decl.name);
        return false;
      }
      if (a.local == u"type") {
        why = fmt::format(
            "attribute xsi:type is not supported on element '{}': its type is the one the "
            "schema declares",
            decl.name);
        return false;
      }
      why = fmt::format("attribute xsi:{} is not allowed on element '{}'", names_utf8(a.local),
                        decl.name);
      return false;
    }
    if (a.ns.empty())
      why = fmt::format("attribute '{}' is not allowed: element '{}' has no attributes",
                        names_utf8(a.local), decl.name);
    else
      why = fmt::format(
          "attribute '{}' in namespace '{}' is not allowed: element '{}' has no attributes",
          names_utf8(a.local), names_utf8(a.ns), decl.name);
    return false;
  }
  return true;
}

std::uint32_t InstanceValidator::namespace_of(const char16_t* ns, std::u16string_view& text) {
  for (const SeenNamespace& n : seen_namespaces_)
    if (n.pointer == ns) {
      text = n.text;
      return n.id;
    }
  text = ns ? std::u16string_view(ns) : std::u16string_view();
  const std::uint32_t id = schema_.namespace_id(text);
  if (ns && seen_namespaces_.size() < 16) seen_namespaces_.push_back({ns, text, id});
  return id;
}

namespace {
bool same(std::u16string_view a, std::u16string_view b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), 2 * a.size()) == 0;
}
}  // namespace

bool InstanceValidator::start_element(const char16_t* ns, const char16_t* local,
                                      std::span<const Attribute> attributes, std::string& why) {
  if (skip_depth_ > 0) {
    ++skip_depth_;
    return true;
  }
  std::u16string_view nsv;
  const std::uint32_t ns_id = namespace_of(ns, nsv);
  const std::u16string_view lv(local);
  const ElementDecl* child = nullptr;
  if (stack_.empty()) {
    if (root_done_) {  // not well-formed; the parser says so
      skip_depth_ = 1;
      return true;
    }
    child = schema_.global_element(nsv, lv);
    if (!child) {
      why = fmt::format("element '{}' in namespace '{}' is not declared in the schema",
                        names_utf8(lv), ns_text(nsv));
      skip_depth_ = 1;
      return false;
    }
  } else {
    Frame& parent = stack_.back();
    if (parent.decl->simple) {
      skip_depth_ = 1;
      if (parent.had_child) return true;  // reported at its first child
      parent.had_child = true;
      why = fmt::format("element '{}' is not allowed in '{}', which holds only text",
                        names_utf8(lv), parent.decl->name);
      return false;
    }
    const ComplexType& ct = *parent.decl->complex;
    const ComplexType::State& st = ct.states[parent.state];
    for (const ComplexType::Edge& e : st.edges) {
      if (e.element->ns_id == ns_id && same(e.element->local, lv)) {
        parent.state = e.target;
        parent.last_child = e.element;
        child = e.element;
        break;
      }
    }
    if (!child) {
      const std::string name = names_utf8(lv);
      const ComplexType::Edge* same_local = nullptr;
      for (const ComplexType::Edge& e : st.edges)
        if (e.element->local == lv) same_local = &e;
      if (same_local)
        why = fmt::format(
            "element '{}' in namespace '{}' is not allowed here; expected '{}' in namespace '{}'",
            name, ns_text(nsv), same_local->element->name, ns_text(same_local->element->ns));
      else if (!st.edges.empty())
        why = fmt::format("element '{}' is not allowed here; expected {}", name,
                          expected_text(parent));
      else if (parent.last_child)
        why = fmt::format("element '{}' is not allowed here: '{}' has no more elements after '{}'",
                          name, parent.decl->name, parent.last_child->name);
      else
        why = fmt::format("element '{}' is not allowed here: '{}' holds no elements", name,
                          parent.decl->name);
      skip_depth_ = 1;
      return false;
    }
  }
  Frame f;
  f.decl = child;
  stack_.push_back(f);
  if (child->simple) {
    text_.clear();
    pending_high_ = 0;
  }
  if (attributes.empty()) return true;
  return attributes_ok(*child, attributes, why);
}

bool InstanceValidator::characters(const char16_t* text, std::size_t length, std::string& why) {
  if (skip_depth_ > 0 || stack_.empty() || length == 0) return true;
  Frame& f = stack_.back();
  if (f.decl->simple) {
    xml::append_utf8(text_, text, length, &pending_high_);
    return true;
  }
  if (f.decl->complex->content == ComplexType::Content::element_only) {
    std::size_t i = 0;
    while (i < length && is_xml_space(text[i])) ++i;
    if (i == length) return true;
  }
  if (f.bad_text) return true;
  f.bad_text = true;
  if (f.decl->complex->content == ComplexType::Content::empty)
    why = fmt::format("text '{}' is not allowed in '{}', which must be empty",
                      quoted_text(text, length), f.decl->name);
  else
    why = fmt::format("text '{}' is not allowed in '{}', which holds only elements",
                      quoted_text(text, length), f.decl->name);
  return false;
}

bool InstanceValidator::cdata_section(std::string& why) {
  if (skip_depth_ > 0 || stack_.empty()) return true;
  Frame& f = stack_.back();
  if (f.decl->simple || f.bad_text) return true;
  f.bad_text = true;
  why = fmt::format("a CDATA section is not allowed in '{}', which holds only elements",
                    f.decl->name);
  return false;
}

bool InstanceValidator::end_element(std::string& why) {
  if (skip_depth_ > 0) {
    --skip_depth_;
    return true;
  }
  if (stack_.empty()) return true;
  const Frame f = stack_.back();
  stack_.pop_back();
  if (stack_.empty()) root_done_ = true;
  if (f.decl->simple) {
    if (pending_high_ != 0) {
      xml::put_utf8(text_, 0xFFFD);
      pending_high_ = 0;
    }
    if (f.had_child) return true;  // reported at the child
    const bool ok = f.decl->simple->check(text_, why);
    text_.clear();
    return ok;
  }
  const ComplexType::State& st = f.decl->complex->states[f.state];
  if (st.accepting) return true;
  if (st.edges.empty())
    why = fmt::format("element '{}' is incomplete", f.decl->name);
  else
    why = fmt::format("element '{}' is incomplete: expected {}", f.decl->name, expected_text(f));
  return false;
}

}  // namespace istd::xsd
