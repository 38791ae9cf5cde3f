// InstanceValidator: the findings on event sequences, and differential tests against Xerces'
// validating parser (the oracle): a table of small schemas and instances, then the shipped
// schema bundle with the repository's fixture messages and structural mutations of them. With
// the compiled simple types (simple_type.cpp), the whole verdicts are compared.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/xml/schema_bundle.hpp"
#include "core/xsd/unsupported.hpp"
#include "test_util.hpp"
#include "xsd_harness.hpp"

namespace {

using istd::xsd::CompiledSchema;
using istd::xsd::InstanceValidator;
using istd::xsdtest::SchemaFile;
using istd::xsdtest::XercesSchemas;

const char* const kTableSchema = R"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:element name="root"><xs:complexType><xs:sequence>
    <xs:element name="head" type="t:Head"/>
    <xs:element name="item" type="t:Item" minOccurs="0" maxOccurs="unbounded"/>
    <xs:element name="note" type="xs:string" minOccurs="0"/>
    <xs:element name="pair" type="t:Pair" minOccurs="0" maxOccurs="3"/>
    <xs:element name="empty" type="t:Empty" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="other" type="xs:string"/>
  <xs:complexType name="Head"><xs:sequence>
    <xs:element name="id" type="t:Id"/><xs:element name="code" type="xs:string"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Item"><xs:sequence>
    <xs:element name="name" type="xs:string"/>
    <xs:choice minOccurs="0"><xs:element name="x" type="xs:string"/><xs:element name="y" type="xs:string"/></xs:choice>
    <xs:element name="qty" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Pair"><xs:choice>
    <xs:sequence><xs:element name="l" type="xs:string"/><xs:element name="r" type="xs:string"/></xs:sequence>
    <xs:element name="both" type="xs:string"/>
  </xs:choice></xs:complexType>
  <xs:complexType name="Empty"/>
  <xs:simpleType name="Id"><xs:restriction base="xs:string"><xs:maxLength value="6"/></xs:restriction></xs:simpleType>
</xs:schema>)";

/// Unqualified local elements (elementFormDefault unqualified).
const char* const kUnqualifiedSchema = R"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:u="urn:u" targetNamespace="urn:u">
  <xs:element name="doc"><xs:complexType><xs:sequence>
    <xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>)";

/// Derivation by extension, a named model group, a reference to a global element.
const char* const kDerivedSchema = R"(<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:e="urn:e" targetNamespace="urn:e" elementFormDefault="qualified">
  <xs:complexType name="Base"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:complexType name="Ext"><xs:complexContent><xs:extension base="e:Base"><xs:sequence>
    <xs:group ref="e:G"/><xs:element ref="e:g" minOccurs="0"/>
  </xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:group name="G"><xs:choice><xs:element name="b" type="xs:string"/><xs:element name="c" type="xs:string"/></xs:choice></xs:group>
  <xs:element name="g" type="xs:string"/>
  <xs:element name="doc" type="e:Ext"/>
</xs:schema>)";

struct Loaded {
  XercesSchemas xerces;
  std::shared_ptr<const CompiledSchema> compiled;
  explicit Loaded(std::vector<SchemaFile> files)
      : xerces(std::move(files)), compiled(istd::xsd::compile_schema(xerces.model())) {}
};

std::string head_ok() { return "<head><id>1</id><code>c</code></head>"; }
std::string doc(const std::string& inner, const std::string& root_attrs = "") {
  return "<root xmlns=\"urn:t\"" + root_attrs + ">" + inner + "</root>";
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "\n    " + s;
  return out.empty() ? " (none)" : out;
}

}  // namespace

TEST_CASE("instance: findings on event sequences") {
  Loaded l({SchemaFile{"t.xsd", "urn:t", kTableSchema}});
  InstanceValidator iv(*l.compiled);
  std::string why;
  const std::vector<InstanceValidator::Attribute> none;
  auto start = [&](const char16_t* local) { return iv.start_element(u"urn:t", local, none, why); };
  auto text = [&](std::u16string_view t) { return iv.characters(t.data(), t.size(), why); };

  SUBCASE("a valid document") {
    CHECK(start(u"root"));
    CHECK(text(u"\n  "));
    CHECK(start(u"head"));
    CHECK(start(u"id"));
    CHECK(text(u"1"));
    CHECK(iv.end_element(why));
    CHECK(start(u"code"));
    CHECK(iv.end_element(why));
    CHECK(iv.end_element(why));
    CHECK(iv.end_element(why));
  }
  SUBCASE("an element that is not expected, then the parent is incomplete") {
    CHECK(start(u"root"));
    CHECK_FALSE(start(u"note"));
    CHECK(why == "element 'note' is not allowed here; expected 'head'");
    CHECK(start(u"deeper"));  // inside the skipped element: no more findings
    CHECK(text(u"text"));
    CHECK(iv.end_element(why));
    CHECK(iv.end_element(why));
    CHECK_FALSE(iv.end_element(why));
    CHECK(why == "element 'root' is incomplete: expected 'head'");
  }
  SUBCASE("the list of what may come next includes the end of the parent") {
    CHECK(start(u"root"));
    CHECK(start(u"head"));
    CHECK(start(u"id"));
    CHECK(iv.end_element(why));
    CHECK(start(u"code"));
    CHECK(iv.end_element(why));
    CHECK(iv.end_element(why));
    CHECK_FALSE(start(u"bogus"));
    CHECK(why == "element 'bogus' is not allowed here; expected 'item', 'note', 'pair', 'empty' "
                 "or the end of 'root'");
  }
  SUBCASE("no more elements after the last one") {
    CHECK(start(u"root"));
    CHECK(start(u"head"));
    CHECK(start(u"id"));
    CHECK(iv.end_element(why));
    CHECK(start(u"code"));
    CHECK(iv.end_element(why));
    CHECK_FALSE(start(u"code"));
    CHECK(why == "element 'code' is not allowed here: 'head' has no more elements after 'code'");
  }
  SUBCASE("text in element-only content, a child in a simple-typed element") {
    CHECK(start(u"root"));
    CHECK_FALSE(text(u"  abc "));
    CHECK(why == "text 'abc' is not allowed in 'root', which holds only elements");
    CHECK(text(u"def"));  // once per element
    CHECK(start(u"head"));
    CHECK(start(u"id"));
    CHECK_FALSE(start(u"x"));
    CHECK(why == "element 'x' is not allowed in 'id', which holds only text");
  }
  SUBCASE("the element text reaches the simple type's check") {
    CHECK(start(u"root"));
    CHECK(start(u"head"));
    CHECK(start(u"id"));
    CHECK(text(u"INV"));
    CHECK(text(u"ALID"));
    CHECK_FALSE(iv.end_element(why));  // longer than the 6 characters of t:Id
    CHECK(why.find("'INVALID'") != std::string::npos);
  }
  SUBCASE("surrogate pairs split over two pieces of text") {
    CHECK(start(u"root"));
    CHECK_FALSE(text(u"\U0001F600\xD83D"));
    CHECK(why == "text '\xF0\x9F\x98\x80\xEF\xBF\xBD' is not allowed in 'root', which holds only "
                 "elements");
  }
  SUBCASE("an unknown root, a root in another namespace") {
    CHECK_FALSE(iv.start_element(u"urn:t", u"nope", none, why));
    CHECK(why == "element 'nope' in namespace 'urn:t' is not declared in the schema");
    iv.reset();
    CHECK_FALSE(iv.start_element(u"", u"root", none, why));
    CHECK(why == "element 'root' in namespace '(no namespace)' is not declared in the schema");
  }
  SUBCASE("a child in the wrong namespace") {
    CHECK(start(u"root"));
    CHECK_FALSE(iv.start_element(u"urn:x", u"head", none, why));
    CHECK(why == "element 'head' in namespace 'urn:x' is not allowed here; expected 'head' in "
                 "namespace 'urn:t'");
  }
  SUBCASE("attributes") {
    std::vector<InstanceValidator::Attribute> xsi{
        {u"http://www.w3.org/2001/XMLSchema-instance", u"schemaLocation", u"urn:t t.xsd"}};
    CHECK(iv.start_element(u"urn:t", u"root", xsi, why));
    std::vector<InstanceValidator::Attribute> plain{{u"", u"id", u"1"}};
    CHECK_FALSE(iv.start_element(u"urn:t", u"head", plain, why));
    CHECK(why == "attribute 'id' is not allowed: element 'head' has no attributes");
  }
}

TEST_CASE("instance: xsi:type is refused where Xerces may accept it") {
  // A known difference: the engine does not switch types, so any xsi:type is a finding, while
  // Xerces accepts one naming the declared type (or a type derived from it).
  Loaded t({SchemaFile{"t.xsd", "urn:t", kTableSchema}});
  const std::string xml = doc(head_ok() +
                              "<note xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                              "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
                              "xsi:type=\"xs:string\">x</note>");
  const auto x = t.xerces.xerces_errors(xml);
  const auto ours = istd::xsdtest::compiled_errors(*t.compiled, xml);
  INFO("Xerces:" << joined(x) << "\n  compiled:" << joined(ours));
  CHECK(x.empty());
  REQUIRE(ours.size() == 1);
  CHECK(ours[0] == "attribute xsi:type is not supported on element 'note': its type is the one "
                   "the schema declares");
}

TEST_CASE("instance: verdicts agree with Xerces on small schemas") {
  Loaded t({SchemaFile{"t.xsd", "urn:t", kTableSchema}});
  Loaded u({SchemaFile{"u.xsd", "urn:u", kUnqualifiedSchema}});
  Loaded d({SchemaFile{"e.xsd", "urn:e", kDerivedSchema}});
  const std::string xsi = " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
  struct Case {
    const char* what;
    Loaded* schema;
    std::string xml;
  };
  const std::vector<Case> cases = {
      {"minimal", &t, doc(head_ok())},
      {"whitespace between elements", &t, doc("\n  " + head_ok() + "\n\t\r\n")},
      {"everything", &t,
       doc(head_ok() +
           "<item><name>n</name><x>1</x><qty>2</qty></item><item><name>m</name></item>"
           "<note>x</note><pair><l/><r/></pair><pair><both/></pair><empty/>")},
      {"missing required element", &t, doc("<head><id>1</id></head>")},
      {"missing required first element", &t, doc("<head><code>1</code></head>")},
      {"extra element", &t, doc(head_ok() + "<bogus/>")},
      {"extra element at the end", &t, doc(head_ok() + "<empty/><note/>")},
      {"wrong order", &t, doc(head_ok() + "<note>x</note><item><name>n</name></item>")},
      {"repeated non-repeatable", &t, doc(head_ok() + "<note>x</note><note>y</note>")},
      {"repeated head", &t, doc(head_ok() + head_ok())},
      {"unbounded repeats", &t,
       doc(head_ok() + "<item><name>1</name></item><item><name>2</name></item>"
                       "<item><name>3</name></item><item><name>4</name></item>"
                       "<item><name>5</name></item>")},
      {"bounded: three", &t, doc(head_ok() + "<pair><both/></pair><pair><both/></pair><pair><both/></pair>")},
      {"bounded: four", &t,
       doc(head_ok() + "<pair><both/></pair><pair><both/></pair><pair><both/></pair><pair><both/></pair>")},
      {"choice: both branches", &t, doc(head_ok() + "<item><name>n</name><x/><y/></item>")},
      {"choice: half a sequence", &t, doc(head_ok() + "<pair><l/></pair>")},
      {"choice: sequence then other branch", &t, doc(head_ok() + "<pair><l/><r/><both/></pair>")},
      {"choice: empty", &t, doc(head_ok() + "<pair/>")},
      {"text in element-only content", &t, doc("abc" + head_ok())},
      {"text after the last element", &t, doc(head_ok() + "abc")},
      {"text in a nested element", &t, doc("<head>x<id>1</id><code>c</code></head>")},
      {"character reference to a space in element-only content", &t, doc("&#32;" + head_ok())},
      {"character reference to a letter in element-only content", &t, doc("&#65;" + head_ok())},
      {"CDATA whitespace in element-only content", &t, doc("<![CDATA[ ]]>" + head_ok())},
      {"CDATA text in element-only content", &t, doc("<![CDATA[x]]>" + head_ok())},
      {"empty CDATA in element-only content", &t, doc("<![CDATA[]]>" + head_ok())},
      {"empty CDATA in empty content", &t, doc(head_ok() + "<empty><![CDATA[]]></empty>")},
      {"CDATA in a simple-typed element", &t, doc(head_ok() + "<note>a<![CDATA[<b>]]>c</note>")},
      {"empty CDATA after a skipped element", &t, doc(head_ok() + "<bogus><![CDATA[]]></bogus>")},
      {"comment and processing instruction", &t,
       doc("<!-- c -->" + std::string("<head><id>1<!-- x -->2</id><?pi x?><code>c</code></head>"))},
      {"unknown root", &t, "<nope xmlns=\"urn:t\"/>"},
      {"root in no namespace", &t, "<root>" + head_ok() + "</root>"},
      {"root in another namespace", &t, "<root xmlns=\"urn:x\">" + head_ok() + "</root>"},
      {"simple-typed global root", &t, "<other xmlns=\"urn:t\">text</other>"},
      {"simple-typed global root with a child", &t, "<other xmlns=\"urn:t\"><x/></other>"},
      {"wrong namespace on a child", &t,
       doc("<head xmlns=\"urn:x\"><id>1</id><code>c</code></head>")},
      {"no namespace on a child", &t, doc("<head xmlns=\"\"><id>1</id><code>c</code></head>")},
      {"wrong namespace on a grandchild", &t,
       doc("<head><id xmlns=\"urn:x\">1</id><code>c</code></head>")},
      {"empty element of complex type", &t, "<root xmlns=\"urn:t\"/>"},
      {"empty nested element of complex type", &t, doc("<head/>")},
      {"empty content: whitespace", &t, doc(head_ok() + "<empty> </empty>")},
      {"empty content: text", &t, doc(head_ok() + "<empty>x</empty>")},
      {"empty content: child", &t, doc(head_ok() + "<empty><x/></empty>")},
      {"empty content: comment", &t, doc(head_ok() + "<empty><!-- c --></empty>")},
      {"simple type with a child element", &t, doc(head_ok() + "<note><b/></note>")},
      {"simple type with two child elements", &t, doc(head_ok() + "<note>a<b/>c<d/></note>")},
      {"attribute", &t, doc(head_ok(), " a=\"1\"")},
      {"attribute on a child", &t, doc("<head id=\"1\"><id>1</id><code>c</code></head>")},
      {"attribute in another namespace", &t, doc(head_ok(), " xmlns:o=\"urn:o\" o:a=\"1\"")},
      {"xsi:schemaLocation", &t, doc(head_ok(), xsi + " xsi:schemaLocation=\"urn:t t.xsd\"")},
      {"xsi:noNamespaceSchemaLocation", &t,
       doc(head_ok(), xsi + " xsi:noNamespaceSchemaLocation=\"t.xsd\"")},
      {"xsi:nil true", &t, doc(head_ok() + "<note" + xsi + " xsi:nil=\"true\"/>")},
      {"xsi:nil false", &t, doc(head_ok() + "<note" + xsi + " xsi:nil=\"false\">x</note>")},
      {"xsi:other", &t, doc(head_ok(), xsi + " xsi:other=\"1\"")},
      {"unqualified: valid", &u, "<u:doc xmlns:u=\"urn:u\"><a>1</a><b>2</b></u:doc>"},
      {"unqualified: child qualified", &u, "<u:doc xmlns:u=\"urn:u\"><u:a>1</u:a></u:doc>"},
      {"unqualified: default namespace", &u, "<doc xmlns=\"urn:u\"><a>1</a></doc>"},
      {"unqualified: missing a", &u, "<u:doc xmlns:u=\"urn:u\"><b>1</b></u:doc>"},
      {"extension: valid", &d, "<doc xmlns=\"urn:e\"><a/><c/><g/></doc>"},
      {"extension: base part only", &d, "<doc xmlns=\"urn:e\"><a/></doc>"},
      {"extension: own part only", &d, "<doc xmlns=\"urn:e\"><b/></doc>"},
      {"extension: both choices", &d, "<doc xmlns=\"urn:e\"><a/><b/><c/></doc>"},
      {"global element as root too", &d, "<g xmlns=\"urn:e\">x</g>"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    CAPTURE(c.xml);
    const auto x = c.schema->xerces.xerces_errors(c.xml);
    const auto ours = istd::xsdtest::compiled_errors(*c.schema->compiled, c.xml);
    INFO("Xerces:" << joined(x) << "\n  compiled:" << joined(ours));
    CHECK(x.empty() == ours.empty());
  }
}

namespace {

/// The shipped bundle, both standards' message schemas in one pool (as Validator compiles them).
struct RealBundle {
  std::unique_ptr<XercesSchemas> xerces;
  std::shared_ptr<const CompiledSchema> compiled;
  RealBundle() {
    const istd::SchemaBundle bundle = istd::SchemaBundle::load(istd::SchemaBundle::default_dir());
    std::vector<SchemaFile> files;
    for (const auto& f : bundle.files()) {
      const std::string base = std::filesystem::path(f.name).filename().string();
      files.push_back({base, f.target_ns, f.bytes, f.type != istd::model::MessageType::unknown});
    }
    // Imports are resolved by namespace; each standard has its own basisschema namespace.
    xerces = std::make_unique<XercesSchemas>(std::move(files));
    compiled = istd::xsd::compile_schema(xerces->model());
  }
};


/// The XML messages of the repository (fixtures/ and those the tests keep).
std::vector<std::filesystem::path> fixture_messages() {
  std::vector<std::filesystem::path> out;
  for (const char* dir : {"fixtures", "tests"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(istd::test::source_dir() / dir))
      if (e.is_regular_file() && e.path().extension() == ".xml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("instance: the shipped bundle compiles") {
  RealBundle b;
  REQUIRE(b.compiled);
  CHECK(b.compiled->globals.size() >= 28);
  CHECK(b.compiled->global_element(u"http://www.istandaarden.nl/iwmo/3_2/wmo301/schema",
                                   u"Bericht") != nullptr);
  CHECK(b.compiled->global_element(u"http://www.istandaarden.nl/ijw/3_2/jw301/schema",
                                   u"Bericht") != nullptr);
  MESSAGE("compiled: " << b.compiled->globals.size() << " global elements, "
                       << b.compiled->elements.size() << " element declarations, "
                       << b.compiled->complex_types.size() << " complex types, "
                       << b.compiled->simple_types.size() << " simple types");
}

TEST_CASE("instance: fixture messages and their mutations agree with Xerces") {
  RealBundle b;
  std::mt19937 rng(20250601);
  std::size_t files = 0, xerces_valid = 0, mutations = 0, mutations_invalid = 0, skipped = 0;
  for (const auto& path : fixture_messages()) {
    CAPTURE(path.string());
    const std::string xml = istd::test::read_file(path);
    std::vector<istd::xsdtest::Event> ev;
    try {
      ev = istd::xsdtest::record_events(xml);
    } catch (...) {
      ++skipped;  // not well-formed on purpose
      continue;
    }
    ++files;
    const auto x = b.xerces->xerces_errors(xml);
    const auto ours = istd::xsdtest::compiled_errors(*b.compiled, xml);
    INFO("Xerces:" << joined(x) << "\n  compiled:" << joined(ours));
    CHECK(x.empty() == ours.empty());
    if (!x.empty()) continue;  // mutations only of messages that are valid as they are
    ++xerces_valid;
    // Element starts other than the root.
    std::vector<std::size_t> starts;
    for (std::size_t i = 1; i < ev.size(); ++i)
      if (ev[i].kind == istd::xsdtest::Event::start) starts.push_back(i);
    if (starts.empty()) continue;
    // The namespaces of the document's elements (for the namespace mutation).
    std::vector<std::u16string> namespaces;
    for (const auto& x2 : ev)
      if (x2.kind == istd::xsdtest::Event::start &&
          std::find(namespaces.begin(), namespaces.end(), x2.ns) == namespaces.end())
        namespaces.push_back(x2.ns);
    for (int m = 0; m < 16; ++m) {
      std::vector<istd::xsdtest::Event> mut = ev;
      const std::size_t s = starts[rng() % starts.size()];
      const std::size_t e = istd::xsdtest::element_end(mut, s);
      std::string kind;
      switch (m % 4) {
        case 3: {
          kind = "namespace";  // the element in another namespace of the document
          if (namespaces.size() < 2) continue;
          auto& ns = mut[s].ns;
          ns = namespaces[(std::find(namespaces.begin(), namespaces.end(), ns) -
                           namespaces.begin() + 1) % static_cast<std::ptrdiff_t>(namespaces.size())];
          break;
        }
        case 0:
          kind = "drop";
          mut.erase(mut.begin() + static_cast<std::ptrdiff_t>(s), mut.begin() + static_cast<std::ptrdiff_t>(e));
          break;
        case 1:
          kind = "duplicate";
          mut.insert(mut.begin() + static_cast<std::ptrdiff_t>(e), ev.begin() + static_cast<std::ptrdiff_t>(s),
                     ev.begin() + static_cast<std::ptrdiff_t>(e));
          break;
        default: {
          kind = "swap";
          // With the next sibling element, if any.
          std::size_t n = e;
          while (n < mut.size() && mut[n].kind == istd::xsdtest::Event::text) ++n;
          if (n >= mut.size() || mut[n].kind != istd::xsdtest::Event::start) continue;
          const std::size_t ne = istd::xsdtest::element_end(mut, n);
          std::vector<istd::xsdtest::Event> out(mut.begin(), mut.begin() + static_cast<std::ptrdiff_t>(s));
          out.insert(out.end(), mut.begin() + static_cast<std::ptrdiff_t>(n), mut.begin() + static_cast<std::ptrdiff_t>(ne));
          out.insert(out.end(), mut.begin() + static_cast<std::ptrdiff_t>(e), mut.begin() + static_cast<std::ptrdiff_t>(n));
          out.insert(out.end(), mut.begin() + static_cast<std::ptrdiff_t>(s), mut.begin() + static_cast<std::ptrdiff_t>(e));
          out.insert(out.end(), mut.begin() + static_cast<std::ptrdiff_t>(ne), mut.end());
          mut = std::move(out);
          break;
        }
      }
      const std::string mxml = istd::xsdtest::write_events(mut);
      const auto mx = b.xerces->xerces_errors(mxml);
      const auto mo = istd::xsdtest::compiled_errors(*b.compiled, mxml);
      ++mutations;
      if (!mx.empty()) ++mutations_invalid;
      CAPTURE(kind);
      CAPTURE(istd::xsdtest::narrow(reinterpret_cast<const XMLCh*>(ev[s].local.c_str())));
      INFO("mutation Xerces:" << joined(mx) << "\n  compiled:" << joined(mo));
      CHECK(mx.empty() == mo.empty());
    }
  }
  MESSAGE(files << " fixture messages (" << xerces_valid << " valid), " << skipped
                << " not compared; " << mutations << " mutations (" << mutations_invalid
                << " invalid)");
  CHECK(xerces_valid > 40);
  CHECK(mutations > 800);
}
