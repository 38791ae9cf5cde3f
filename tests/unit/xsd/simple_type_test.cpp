// Compiled simple types: built-in bases, facets, whitespace, messages, and above all the same
// verdict as Xerces-C on every value: small schemas held in memory are validated by Xerces and
// by the compiled type side by side, and so is every simple type of the shipped schemas.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>
#include <xercesc/framework/psvi/XSComplexTypeDefinition.hpp>
#include <xercesc/framework/psvi/XSModelGroup.hpp>
#include <xercesc/framework/psvi/XSNamedMap.hpp>
#include <xercesc/framework/psvi/XSParticle.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/util/XMLEntityResolver.hpp>
#include <xercesc/util/XMLResourceIdentifier.hpp>
#include <xercesc/validators/datatype/DatatypeValidator.hpp>

#include "core/xml/schema_bundle.hpp"
#include "core/xsd/simple_type.hpp"
#include "core/xsd/unsupported.hpp"
#include "xsd/xerces_oracle.hpp"

using istd::xsd::compile_simple_type;
using istd::xsd::SimpleType;
using istd::xsd::Unsupported;
using istd::xsd::test::SchemaOracle;

namespace {

/// Compiles the type of <v> and checks that it agrees with Xerces on every value.
void agree(const std::string& definitions, const std::string& type,
           const std::vector<std::string>& values) {
  SchemaOracle oracle(definitions, type);
  auto compiled = compile_simple_type(oracle.type());
  for (const auto& v : values) {
    std::string why;
    const bool ours = compiled->check(v, why);
    const bool theirs = oracle.valid(v);
    CAPTURE(type);
    CAPTURE(v);
    CAPTURE(why);
    CAPTURE(oracle.last_error());
    CHECK(ours == theirs);
    if (!ours) CHECK_FALSE(why.empty());
  }
}

/// The text of the finding for `value` ("" when valid).
std::string why_of(const std::string& definitions, const std::string& type,
                   const std::string& value) {
  SchemaOracle oracle(definitions, type);
  std::string why;
  if (compile_simple_type(oracle.type())->check(value, why)) return "";
  return why;
}

const std::vector<std::string> kDates = {
    "2027-06-30", "2027-06-31", "2027-02-28", "2027-02-29", "2028-02-29", "1900-02-29",
    "2000-02-29", "2100-02-29", "2400-02-29", "0000-01-01", "0001-01-01", "-0001-01-01",
    "-0004-02-29", "-0001-02-29", "-0400-02-29", "-0100-02-29", "12345-01-01", "012345-01-01",
    "99999999999-12-31", "2027-1-01", "2027-01-1", "27-01-01", "2027-00-10", "2027-13-01",
    "2027-12-00", "2027-12-32", "2027-01-01Z", "2027-01-01+14:00", "2027-01-01+14:01",
    "2027-01-01-14:00", "2027-01-01+15:00", "2027-01-01+02:60", "2027-01-01+02:59",
    "2027-01-01+2:00", "2027-01-01+0200", "2027-01-01z", "2027-01-01Z ", " 2027-01-01",
    "2027-01-01 ", "\t2027-01-01\n", "2027 -01-01", "", " ", "2027-01-01T00:00:00", "+2027-01-01",
    "2027-01-01ZZ", "20270101", "\xEF\xBC\x92" "027-01-01"};

const std::vector<std::string> kTimes = {
    "00:00:00", "23:59:59", "24:00:00", "24:00:01", "24:00:00.0", "24:00:00.5", "24:01:00",
    "25:00:00", "12:60:00", "12:00:60", "12:00:59.999", "12:00:00.", "12:00:00.1234567890123",
    "12:00", "1:00:00", "12:00:00Z", "12:00:00+01:00", "12:00:00-14:00", "12:00:00+14:30",
    "12:00:00+1:00", " 12:00:00 ", "", "T12:00:00", "12:00:00.5Z", "12-00-00", "12:00:60.5",
    "12:00:60.0", "12:59:60", "23:59:60Z", "12:00:61", "24:00:00Z", "24:00:00+01:00",
    "24:00:60", "00:00:00.000"};

const std::vector<std::string> kNumbers = {
    "0", "-0", "+0", "00", "1", "01", "+1", "-1", "1.", ".5", "-.5", "+.5", "1.0", "1.50",
    "0.000", "-0.0", ".", "+.", "-.", "..", ". ", "+", "-", "", " ", " 7 ", "1 2", "1e3", "1,5", "0x10", "--1", "+-1",
    "12345678901234567890123456789012345678901234567890",
    "-12345678901234567890123456789012345678901234567890", "999", "1000", "0999", "-999",
    "-1000", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
    "9223372036854775808", "255", "256", "\xD9\xA1", "1.5.5", "\t42\n"};

}  // namespace

TEST_CASE("simple type: xs:date agrees with Xerces") {
  agree("", "xs:date", kDates);
  agree("<xs:simpleType name='D'><xs:restriction base='xs:date'><xs:pattern value='[^Z:]*'/>"
        "</xs:restriction></xs:simpleType>",
        "t:D", kDates);
}

TEST_CASE("simple type: xs:time and xs:dateTime agree with Xerces") {
  agree("", "xs:time", kTimes);
  agree("<xs:simpleType name='T'><xs:restriction base='xs:time'><xs:pattern value='[^Z+-]+'/>"
        "</xs:restriction></xs:simpleType>",
        "t:T", kTimes);
  std::vector<std::string> dts;
  for (const auto& d : {"2027-06-30", "2027-02-29", "2028-02-29", "0000-01-01", "-0001-01-01"})
    for (const auto& t : {"00:00:00", "24:00:00", "12:00:00.5Z", "23:59:60", "12:00:00+14:01"})
      dts.push_back(std::string(d) + "T" + t);
  dts.insert(dts.end(), {"2027-06-30", "2027-06-30T", "2027-06-30 12:00:00", "T12:00:00"});
  agree("", "xs:dateTime", dts);
}

TEST_CASE("simple type: numbers agree with Xerces") {
  for (const char* t : {"xs:decimal", "xs:integer", "xs:int", "xs:long", "xs:short",
                        "xs:unsignedByte", "xs:nonNegativeInteger", "xs:positiveInteger",
                        "xs:negativeInteger", "xs:nonPositiveInteger", "xs:unsignedLong"})
    agree("", t, kNumbers);
  agree("<xs:simpleType name='N'><xs:restriction base='xs:integer'>"
        "<xs:minInclusive value='-0999'/><xs:maxInclusive value='+0999'/></xs:restriction>"
        "</xs:simpleType>",
        "t:N", kNumbers);
  agree("<xs:simpleType name='N'><xs:restriction base='xs:decimal'>"
        "<xs:minExclusive value='-1.5'/><xs:maxExclusive value='1000.000'/>"
        "<xs:totalDigits value='4'/><xs:fractionDigits value='2'/></xs:restriction>"
        "</xs:simpleType>",
        "t:N", kNumbers);
  agree("<xs:simpleType name='N'><xs:restriction base='xs:decimal'>"
        "<xs:maxInclusive value='123456789012345678901234567890'/></xs:restriction>"
        "</xs:simpleType>",
        "t:N",
        {"123456789012345678901234567890", "123456789012345678901234567890.0000",
         "123456789012345678901234567890.0001", "123456789012345678901234567891", "-1e3", "5"});
  // Two steps: both ranges hold.
  agree("<xs:simpleType name='A'><xs:restriction base='xs:integer'>"
        "<xs:minInclusive value='0'/><xs:maxInclusive value='100'/></xs:restriction>"
        "</xs:simpleType><xs:simpleType name='B'><xs:restriction base='t:A'>"
        "<xs:minInclusive value='10'/></xs:restriction></xs:simpleType>",
        "t:B", {"9", "10", "100", "101", "0", "-5", "050"});
}

TEST_CASE("simple type: enumerations agree with Xerces") {
  const std::string codes =
      "<xs:simpleType name='C'><xs:restriction base='xs:string'>"
      "<xs:enumeration value='01'/><xs:enumeration value='02'/><xs:enumeration value='10'/>"
      "<xs:enumeration value='a b'/><xs:enumeration value=''/></xs:restriction></xs:simpleType>";
  agree(codes, "t:C", {"01", "1", "02", "10", "010", "a b", "a  b", " 01", "01 ", "", " ", "x"});
  agree("<xs:simpleType name='C'><xs:restriction base='xs:token'>"
        "<xs:enumeration value='a b'/><xs:enumeration value='c'/></xs:restriction>"
        "</xs:simpleType>",
        "t:C", {"a b", " a  b ", "a\tb", "c", " c\n", "ab", ""});
  agree("<xs:simpleType name='I'><xs:restriction base='xs:integer'>"
        "<xs:enumeration value='1'/><xs:enumeration value='020'/><xs:enumeration value='-3'/>"
        "</xs:restriction></xs:simpleType>",
        "t:I", {"1", "01", "+1", "20", "020", "0020", "-3", "-03", "3", "2", " 1 ", "1.0"});
  agree("<xs:simpleType name='D'><xs:restriction base='xs:decimal'>"
        "<xs:enumeration value='1.5'/><xs:enumeration value='2'/></xs:restriction>"
        "</xs:simpleType>",
        "t:D", {"1.5", "1.50", "01.5", "2", "2.0", "2.", "1.4", "+1.5"});
  // A derived type narrows its base's enumeration.
  agree(codes +
            "<xs:simpleType name='E'><xs:restriction base='t:C'><xs:enumeration value='02'/>"
            "</xs:restriction></xs:simpleType>",
        "t:E", {"01", "02", "10"});
}

TEST_CASE("simple type: strings, lengths and whitespace agree with Xerces") {
  const std::vector<std::string> values = {
      "", " ", "a", "ab", "abc", "abcd", " ab ", "a\tb", "\xC3\xA9\xC3\xA9\xC3\xA9",
      "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80",
      "a\xF0\x9F\x98\x80", "   ", "\n\n\n", "a  b", " a b c "};
  for (const char* base : {"xs:string", "xs:normalizedString", "xs:token"}) {
    agree(fmt::format("<xs:simpleType name='S'><xs:restriction base='{}'><xs:minLength "
                      "value='2'/><xs:maxLength value='3'/></xs:restriction></xs:simpleType>",
                      base),
          "t:S", values);
    agree(fmt::format("<xs:simpleType name='S'><xs:restriction base='{}'><xs:length "
                      "value='2'/></xs:restriction></xs:simpleType>",
                      base),
          "t:S", values);
    agree("", base, values);
  }
  agree("<xs:simpleType name='S'><xs:restriction base='xs:string'><xs:minLength value='1'/>"
        "<xs:maxLength value='6'/><xs:pattern value='[a-zA-Z&#xC0;-&#x1EF3;]+'/>"
        "</xs:restriction></xs:simpleType>",
        "t:S",
        {"Jos\xC3\xA9", "Jan Piet", "\xC3\x80\xC3\x80\xC3\x80\xC3\x80\xC3\x80\xC3\x80",
         "\xC3\x80\xC3\x80\xC3\x80\xC3\x80\xC3\x80\xC3\x80\xC3\x80", "", "abcdef", "abcdefg"});
  agree("<xs:simpleType name='S'><xs:restriction base='xs:string'><xs:minLength value='1'/>"
        "<xs:maxLength value='4'/><xs:pattern value='.*\\S.*'/></xs:restriction>"
        "</xs:simpleType>",
        "t:S", values);
  agree("<xs:simpleType name='S'><xs:restriction base='xs:string'><xs:minLength value='1'/>"
        "<xs:pattern value='\\s*\\S[\\s\\S]*'/></xs:restriction></xs:simpleType>",
        "t:S", values);
}

TEST_CASE("simple type: patterns of one step are alternatives, of two steps all hold") {
  const std::string defs =
      "<xs:simpleType name='A'><xs:restriction base='xs:string'>"
      "<xs:pattern value='(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)'/><xs:pattern value='x|y'/>"
      "</xs:restriction></xs:simpleType>"
      "<xs:simpleType name='B'><xs:restriction base='t:A'><xs:pattern value='[0-9.]*'/>"
      "</xs:restriction></xs:simpleType>";
  const std::vector<std::string> values = {"1.0", "0.0", "01.0", "x", "y", "z", "1.2.3", "", "10.20"};
  agree(defs, "t:A", values);
  agree(defs, "t:B", values);
  agree("<xs:simpleType name='V'><xs:restriction base='xs:integer'><xs:pattern value='3'/>"
        "</xs:restriction></xs:simpleType>",
        "t:V", {"3", "03", "+3", " 3 ", "4", "33"});
  agree("", "xs:boolean", {"true", "false", "1", "0", "TRUE", "yes", " true ", "", "01"});
  agree("<xs:simpleType name='B'><xs:restriction base='xs:boolean'><xs:pattern value='true|1'/>"
        "</xs:restriction></xs:simpleType>",
        "t:B", {"true", "false", "1", "0"});
}

TEST_CASE("simple type: findings name the value and the rule") {
  const std::string date = "<xs:simpleType name='D'><xs:restriction base='xs:date'/></xs:simpleType>";
  CHECK(why_of(date, "t:D", "2027-06-31") == "'2027-06-31' is not a valid date (June has 30 days)");
  CHECK(why_of(date, "t:D", "2027-02-29") ==
        "'2027-02-29' is not a valid date (2027 is not a leap year)");
  CHECK(why_of(date, "t:D", "2027-06-30") == "");
  const std::string s =
      "<xs:simpleType name='S'><xs:restriction base='xs:string'><xs:maxLength value='10'/>"
      "</xs:restriction></xs:simpleType>";
  CHECK(why_of(s, "t:S", "ABCDEFGHIJK") ==
        "'ABCDEFGHIJK' is longer than the 10 characters allowed (maxLength)");
  CHECK(why_of(s, "t:S", std::string(100, 'x')) ==
        "'" + std::string(40, 'x') + "...' is longer than the 10 characters allowed (maxLength)");
  std::string e = "<xs:simpleType name='LDT_RedenBeeindiging'><xs:restriction base='xs:string'>";
  for (int i = 1; i <= 12; ++i) e += fmt::format("<xs:enumeration value='{:02}'/>", i);
  e += "</xs:restriction></xs:simpleType>";
  CHECK(why_of(e, "t:LDT_RedenBeeindiging", "7") ==
        "'7' is not one of the allowed values of LDT_RedenBeeindiging (01, 02, 03, 04, 05, 06, "
        "07, 08, 09, 10, ...)");
  CHECK(why_of("<xs:simpleType name='B'><xs:restriction base='xs:string'><xs:pattern "
               "value='[0-9]{9}'/></xs:restriction></xs:simpleType>",
               "t:B", "12345678") == "'12345678' does not have the required form ([0-9]{9})");
  CHECK(why_of("", "xs:integer", "12a") == "'12a' is not a valid number");
  CHECK(why_of("<xs:simpleType name='N'><xs:restriction base='xs:integer'><xs:maxInclusive "
               "value='999'/></xs:restriction></xs:simpleType>",
               "t:N", "1000") == "'1000' is greater than the maximum 999 (maxInclusive)");
  SchemaOracle named("<xs:simpleType name='LDT_Datum'><xs:restriction base='xs:date'/>"
                     "</xs:simpleType>",
                     "t:LDT_Datum");
  CHECK(compile_simple_type(named.type())->name() == "LDT_Datum");
}

TEST_CASE("simple type: what is not handled is refused") {
  for (const auto& item : std::vector<std::pair<std::string, std::string>>{
           {"<xs:simpleType name='L'><xs:list itemType='xs:int'/></xs:simpleType>", "t:L"},
           {"<xs:simpleType name='U'><xs:union memberTypes='xs:int xs:date'/></xs:simpleType>",
            "t:U"},
           {"", "xs:QName"},
           {"", "xs:duration"},
           {"", "xs:base64Binary"},
           {"", "xs:NCName"},
           {"", "xs:double"},
           {"<xs:simpleType name='P'><xs:restriction base='xs:string'><xs:pattern "
            "value='\\p{Lu}+'/></xs:restriction></xs:simpleType>",
            "t:P"},
           {"<xs:simpleType name='D'><xs:restriction base='xs:date'><xs:maxInclusive "
            "value='2027-01-01'/></xs:restriction></xs:simpleType>",
            "t:D"}}) {
    const std::string& type = item.second;  // a plain name: CAPTURE cannot take a binding
    CAPTURE(type);
    SchemaOracle oracle(item.first, type);
    CHECK_THROWS_AS(compile_simple_type(oracle.type()), Unsupported);
  }
}

// -- the shipped schemas ----------------------------------------------------------------------

namespace {

using namespace xercesc;

/// Serves the bundle's files to Xerces (imports by namespace, includes by file name).
class BundleFiles : public XMLEntityResolver {
 public:
  explicit BundleFiles(const istd::SchemaBundle& b) : bundle_(b) {}
  InputSource* resolveEntity(XMLResourceIdentifier* id) override {
    const istd::SchemaBundle::File* f = nullptr;
    if (id->getResourceIdentifierType() == XMLResourceIdentifier::SchemaImport &&
        id->getNameSpace() && *id->getNameSpace())
      f = bundle_.by_namespace(narrow(id->getNameSpace()));
    if (!f && id->getSystemId()) {
      std::string sys = narrow(id->getSystemId());
      const auto slash = sys.find_last_of("/\\");
      f = bundle_.find(slash == std::string::npos ? sys : sys.substr(slash + 1));
    }
    REQUIRE(f);
    names_.push_back(istd::xsd::test::to_utf16(f->name));
    return new MemBufInputSource(reinterpret_cast<const XMLByte*>(f->bytes.data()),
                                 f->bytes.size(), istd::xsd::test::xc(names_.back()), false);
  }
  static std::string narrow(const XMLCh* s) {
    std::string out;
    for (; *s; ++s) out.push_back(static_cast<char>(*s));
    return out;
  }

 private:
  const istd::SchemaBundle& bundle_;
  std::vector<std::u16string> names_;
};

void collect(XSTypeDefinition* t, std::set<XSTypeDefinition*>& seen,
             std::vector<XSSimpleTypeDefinition*>& simple) {
  if (!t || !seen.insert(t).second) return;
  if (t->getTypeCategory() == XSTypeDefinition::SIMPLE_TYPE) {
    simple.push_back(static_cast<XSSimpleTypeDefinition*>(t));
    return;
  }
  auto* ct = static_cast<XSComplexTypeDefinition*>(t);
  if (ct->getSimpleType()) collect(ct->getSimpleType(), seen, simple);
  std::vector<XSParticle*> todo;
  if (ct->getParticle()) todo.push_back(ct->getParticle());
  while (!todo.empty()) {
    XSParticle* p = todo.back();
    todo.pop_back();
    if (p->getTermType() == XSParticle::TERM_ELEMENT) {
      collect(p->getElementTerm()->getTypeDefinition(), seen, simple);
    } else if (p->getTermType() == XSParticle::TERM_MODELGROUP) {
      XSParticleList* kids = p->getModelGroupTerm()->getParticles();
      for (XMLSize_t i = 0; kids && i < kids->size(); ++i) todo.push_back(kids->elementAt(i));
    }
  }
}

/// Xerces' verdict: the type's datatype validator on the value with its whitespace handled as
/// the schema validator does before it.
bool xerces_valid(XSSimpleTypeDefinition& t, const std::string& value) {
  std::string v = value;
  const short ws = t.getDatatypeValidator()->getWSFacet();
  if (ws != DatatypeValidator::PRESERVE) {
    for (char& c : v)
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    if (ws == DatatypeValidator::COLLAPSE) {
      std::string out;
      for (char c : v)
        if (!(c == ' ' && (out.empty() || out.back() == ' '))) out.push_back(c);
      if (!out.empty() && out.back() == ' ') out.pop_back();
      v = out;
    }
  }
  const std::u16string u = istd::xsd::test::to_utf16(v);
  try {
    t.getDatatypeValidator()->validate(istd::xsd::test::xc(u), nullptr,
                                       XMLPlatformUtils::fgMemoryManager);
    return true;
  } catch (const XMLException&) {
    return false;
  }
}

}  // namespace

TEST_CASE("simple type: every simple type of the shipped schemas compiles and agrees") {
  const istd::SchemaBundle bundle = istd::SchemaBundle::load(istd::SchemaBundle::default_dir());
  XMLGrammarPoolImpl pool(XMLPlatformUtils::fgMemoryManager);
  BundleFiles resolver(bundle);
  std::unique_ptr<SAX2XMLReader> reader(
      XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, &pool));
  reader->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
  reader->setFeature(XMLUni::fgSAX2CoreValidation, true);
  reader->setFeature(XMLUni::fgXercesSchema, true);
  reader->setFeature(XMLUni::fgXercesHandleMultipleImports, true);
  reader->setFeature(XMLUni::fgXercesCacheGrammarFromParse, true);
  dynamic_cast<SAX2XMLReaderImpl&>(*reader).setXMLEntityResolver(&resolver);
  std::size_t message_schemas = 0;
  for (const auto& f : bundle.files()) {
    if (f.type == istd::model::MessageType::unknown) continue;
    MemBufInputSource src(reinterpret_cast<const XMLByte*>(f.bytes.data()), f.bytes.size(),
                          u"bundle.xsd", false);
    REQUIRE(reader->loadGrammar(src, Grammar::SchemaGrammarType, true));
    ++message_schemas;
  }
  REQUIRE(message_schemas > 10);
  bool changed = false;
  XSModel* model = pool.getXSModel(changed);
  REQUIRE(model);

  std::set<XSTypeDefinition*> seen;
  std::vector<XSSimpleTypeDefinition*> simple;
  XSNamedMap<XSObject>* types = model->getComponents(XSConstants::TYPE_DEFINITION);
  for (XMLSize_t i = 0; i < types->getLength(); ++i) {
    auto* t = static_cast<XSTypeDefinition*>(types->item(i));
    if (BundleFiles::narrow(t->getNamespace()) == "http://www.w3.org/2001/XMLSchema") continue;
    collect(t, seen, simple);
  }
  XSNamedMap<XSObject>* elements = model->getComponents(XSConstants::ELEMENT_DECLARATION);
  for (XMLSize_t i = 0; i < elements->getLength(); ++i)
    collect(static_cast<XSElementDeclaration*>(elements->item(i))->getTypeDefinition(), seen,
            simple);
  MESSAGE(simple.size(), " simple types");
  REQUIRE(simple.size() > 50);

  std::vector<std::string> probes = {
      "", " ", "x", " x ", "X", "0", "1", "01", "001", "-1", "+1", "1.5", "99", "100", "999",
      "1000", "99999", "100000", "123456789", "1234567890", "12345678", "1234", "000000000",
      "2027-06-30", "2027-06-31", "2028-02-29", "2027-06-30Z", "2027-06-30+01:00",
      "12:00:00", "12:00:00Z", "24:00:00", "3", "2", "3.2.0", "03.2.0", "true", "abc",
      "Jos\xC3\xA9", "\xF0\x9F\x98\x80", std::string(200, 'x'), std::string(201, 'x'),
      std::string(80, 'x'), std::string(81, 'x'), "a\tb", "\t", "\n"};
  std::size_t compared = 0;
  for (XSSimpleTypeDefinition* t : simple) {
    const std::string name = t->getAnonymous() ? "(anonymous)" : BundleFiles::narrow(t->getName());
    CAPTURE(name);
    std::shared_ptr<const SimpleType> compiled;
    try {
      compiled = compile_simple_type(*t);
    } catch (const Unsupported& e) {
      FAIL_CHECK("Unsupported: ", e.what());
      continue;
    }
    std::vector<std::string> values = probes;
    if (StringList* en = t->getLexicalEnumeration())
      for (XMLSize_t i = 0; i < en->size(); ++i) {
        std::string v = BundleFiles::narrow(en->elementAt(i));
        values.push_back(v);
        values.push_back(" " + v);
        values.push_back(v + "0");
        values.push_back("0" + v);
      }
    for (const auto& v : values) {
      CAPTURE(v);
      std::string why;
      CHECK(compiled->check(v, why) == xerces_valid(*t, v));
      ++compared;
    }
  }
  MESSAGE(compared, " values compared");
}
