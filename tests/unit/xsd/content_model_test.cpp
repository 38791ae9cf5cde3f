// The content-model automata compile_schema builds from small inline schemas: sequences,
// choices, optional, unbounded and bounded repetitions, empty content; and the constructs the
// engine refuses with Unsupported.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "core/xsd/unsupported.hpp"
#include "xsd_harness.hpp"

namespace {

using istd::xsd::CompiledSchema;
using istd::xsd::ComplexType;
using istd::xsd::ElementDecl;
using istd::xsdtest::SchemaFile;
using istd::xsdtest::XercesSchemas;

std::string cm_schema(const std::string& body) {
  return R"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t"
  targetNamespace="urn:t" elementFormDefault="qualified">)" +
         body + "</xs:schema>";
}

std::shared_ptr<const CompiledSchema> cm_compile(const std::string& body) {
  XercesSchemas xs({SchemaFile{"t.xsd", "urn:t", cm_schema(body)}});
  return istd::xsd::compile_schema(xs.model());
}

/// Whether the root element's automaton accepts exactly this sequence of child names.
bool cm_accepts(const CompiledSchema& s, std::initializer_list<const char*> children) {
  const ElementDecl* root = s.global_element(u"urn:t", u"root");
  REQUIRE(root);
  REQUIRE(root->complex);
  const ComplexType& ct = *root->complex;
  std::uint32_t state = 0;
  for (const char* c : children) {
    const std::string name(c);
    const ComplexType::Edge* edge = nullptr;
    for (const auto& e : ct.states[state].edges)
      if (e.element->name == name) {
        CHECK_MESSAGE(edge == nullptr, "two edges for one name");
        edge = &e;
      }
    if (!edge) return false;
    state = edge->target;
  }
  return ct.states[state].accepting;
}

}  // namespace

TEST_CASE("content model: a sequence of required elements") {
  auto s = cm_compile(R"(<xs:element name="root"><xs:complexType><xs:sequence>
    <xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string"/>
    <xs:element name="c" type="xs:string"/></xs:sequence></xs:complexType></xs:element>)");
  CHECK(cm_accepts(*s, {"a", "b", "c"}));
  CHECK_FALSE(cm_accepts(*s, {"a", "b"}));
  CHECK_FALSE(cm_accepts(*s, {"a", "c", "b"}));
  CHECK_FALSE(cm_accepts(*s, {}));
  CHECK_FALSE(cm_accepts(*s, {"a", "b", "c", "c"}));
  const ElementDecl* a = s->global_element(u"urn:t", u"root")->complex->states[0].edges[0].element;
  CHECK(a->simple != nullptr);
  CHECK(a->ns == u"urn:t");
  CHECK(s->global_element(u"urn:other", u"root") == nullptr);
  CHECK(s->global_element(u"urn:t", u"a") == nullptr);  // local, not global
}

TEST_CASE("content model: optional and unbounded elements") {
  auto s = cm_compile(R"(<xs:element name="root"><xs:complexType><xs:sequence>
    <xs:element name="a" type="xs:string"/>
    <xs:element name="b" type="xs:string" minOccurs="0"/>
    <xs:element name="c" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>)");
  CHECK(cm_accepts(*s, {"a"}));
  CHECK(cm_accepts(*s, {"a", "b"}));
  CHECK(cm_accepts(*s, {"a", "c", "c", "c"}));
  CHECK(cm_accepts(*s, {"a", "b", "c"}));
  CHECK_FALSE(cm_accepts(*s, {"b"}));
  CHECK_FALSE(cm_accepts(*s, {"a", "c", "b"}));
  CHECK_FALSE(cm_accepts(*s, {"a", "b", "b"}));
}

TEST_CASE("content model: bounded repetitions are expanded") {
  auto s = cm_compile(R"(<xs:element name="root"><xs:complexType><xs:sequence>
    <xs:element name="a" type="xs:string" minOccurs="2" maxOccurs="3"/>
    <xs:element name="b" type="xs:string" minOccurs="1" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>)");
  CHECK_FALSE(cm_accepts(*s, {"a", "b"}));
  CHECK(cm_accepts(*s, {"a", "a", "b"}));
  CHECK(cm_accepts(*s, {"a", "a", "a", "b", "b"}));
  CHECK_FALSE(cm_accepts(*s, {"a", "a", "a", "a", "b"}));
  CHECK_FALSE(cm_accepts(*s, {"a", "a"}));

  auto g = cm_compile(R"(<xs:element name="root"><xs:complexType>
    <xs:sequence minOccurs="0" maxOccurs="2"><xs:element name="a" type="xs:string"/>
    <xs:element name="b" type="xs:string" minOccurs="0"/></xs:sequence>
    </xs:complexType></xs:element>)");
  CHECK(cm_accepts(*g, {}));
  CHECK(cm_accepts(*g, {"a", "a"}));
  CHECK(cm_accepts(*g, {"a", "b", "a"}));
  CHECK_FALSE(cm_accepts(*g, {"a", "b", "a", "b", "a"}));
  CHECK_FALSE(cm_accepts(*g, {"b"}));
}

TEST_CASE("content model: nested choice and sequence") {
  auto s = cm_compile(R"(<xs:element name="root"><xs:complexType><xs:sequence>
    <xs:choice maxOccurs="unbounded">
      <xs:element name="a" type="xs:string"/>
      <xs:sequence><xs:element name="b" type="xs:string"/><xs:element name="c" type="xs:string"/></xs:sequence>
    </xs:choice>
    <xs:element name="d" type="xs:string" minOccurs="0"/>
    </xs:sequence></xs:complexType></xs:element>)");
  CHECK(cm_accepts(*s, {"a"}));
  CHECK(cm_accepts(*s, {"b", "c", "a"}));
  CHECK(cm_accepts(*s, {"a", "d"}));
  CHECK(cm_accepts(*s, {"b", "c", "b", "c", "d"}));
  CHECK_FALSE(cm_accepts(*s, {"b"}));
  CHECK_FALSE(cm_accepts(*s, {"b", "a"}));
  CHECK_FALSE(cm_accepts(*s, {"d"}));
  CHECK_FALSE(cm_accepts(*s, {}));
}

TEST_CASE("content model: empty content and recursive types") {
  auto s = cm_compile(R"(<xs:element name="root"><xs:complexType><xs:sequence>
    <xs:element name="e" type="t:Empty"/><xs:element name="n" type="t:Node"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:complexType name="Empty"/>
    <xs:complexType name="Node"><xs:sequence>
      <xs:element name="n" type="t:Node" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    </xs:complexType>)");
  const ComplexType& root = *s->global_element(u"urn:t", u"root")->complex;
  const ElementDecl* e = root.states[0].edges.at(0).element;
  REQUIRE(e->complex);
  CHECK(e->complex->content == ComplexType::Content::empty);
  CHECK(e->complex->name == "Empty");
  REQUIRE(e->complex->states.size() == 1);
  CHECK(e->complex->states[0].accepting);
  CHECK(e->complex->states[0].edges.empty());
  const ElementDecl* n = root.states[root.states[0].edges[0].target].edges.at(0).element;
  REQUIRE(n->complex);
  CHECK(n->complex->name == "Node");
  CHECK(n->complex->states[0].accepting);
  CHECK(n->complex->states[0].edges.at(0).element->complex == n->complex);
  CHECK(cm_accepts(*s, {"e", "n"}));
}

TEST_CASE("content model: a repeated optional particle is determinised, not refused") {
  auto s = cm_compile(R"(<xs:element name="root"><xs:complexType><xs:sequence>
    <xs:sequence minOccurs="0" maxOccurs="3"><xs:element name="a" type="xs:string" minOccurs="0"/></xs:sequence>
    </xs:sequence></xs:complexType></xs:element>)");
  CHECK(cm_accepts(*s, {}));
  CHECK(cm_accepts(*s, {"a", "a", "a"}));
  CHECK_FALSE(cm_accepts(*s, {"a", "a", "a", "a"}));
}

TEST_CASE("content model: what the engine refuses") {
  using istd::xsd::Unsupported;
  auto root = [](const std::string& content) {
    return R"(<xs:element name="root"><xs:complexType>)" + content +
           "</xs:complexType></xs:element>";
  };
  SUBCASE("a content model that is not deterministic") {
    CHECK_THROWS_AS(cm_compile(root(R"(<xs:sequence><xs:element name="a" type="xs:string" minOccurs="0"/>
      <xs:element name="a" type="xs:string"/></xs:sequence>)")),
                    Unsupported);
  }
  SUBCASE("a wildcard") {
    CHECK_THROWS_AS(cm_compile(root(R"(<xs:sequence><xs:any processContents="lax"/></xs:sequence>)")),
                    Unsupported);
  }
  SUBCASE("xs:all") {
    CHECK_THROWS_AS(cm_compile(root(R"(<xs:all><xs:element name="a" type="xs:string"/></xs:all>)")),
                    Unsupported);
  }
  SUBCASE("attributes") {
    CHECK_THROWS_AS(cm_compile(root(R"(<xs:sequence/><xs:attribute name="x" type="xs:string"/>)")),
                    Unsupported);
  }
  SUBCASE("mixed content") {
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="root"><xs:complexType mixed="true"><xs:sequence>
      <xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType></xs:element>)"),
                    Unsupported);
  }
  SUBCASE("simple content") {
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="root"><xs:complexType><xs:simpleContent>
      <xs:extension base="xs:string"/></xs:simpleContent></xs:complexType></xs:element>)"),
                    Unsupported);
  }
  SUBCASE("a bound too large to expand") {
    CHECK_THROWS_AS(cm_compile(root(R"(<xs:sequence><xs:element name="a" type="xs:string" maxOccurs="100"/></xs:sequence>)")),
                    Unsupported);
  }
  SUBCASE("nillable, fixed, abstract, substitution groups, xs:anyType") {
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="root" type="xs:string" nillable="true"/>)"),
                    Unsupported);
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="root" type="xs:string" fixed="x"/>)"),
                    Unsupported);
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="root" type="xs:string" default="x"/>)"),
                    Unsupported);
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="root" type="xs:string" abstract="true"/>)"),
                    Unsupported);
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="head" type="xs:string"/>
      <xs:element name="root" type="xs:string" substitutionGroup="t:head"/>)"),
                    Unsupported);
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="root"/>)"), Unsupported);
  }
  SUBCASE("identity constraints") {
    CHECK_THROWS_AS(cm_compile(R"(<xs:element name="k"><xs:complexType><xs:sequence>
      <xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:key name="key"><xs:selector xpath="t:a"/><xs:field xpath="."/></xs:key></xs:element>)"),
                    Unsupported);
  }
}
