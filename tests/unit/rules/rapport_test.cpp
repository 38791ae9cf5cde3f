// The official-style validation report (--format rapport), parsed back with Xerces DOM.
#include "core/report/rapport.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>
#include <xercesc/dom/DOM.hpp>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/parsers/XercesDOMParser.hpp>

#include "rules_fixture.hpp"

using namespace istd;
using namespace istd::test::rules;
using namespace xercesc;

namespace {

std::string str(const XMLCh* s) {
  char* c = XMLString::transcode(s);
  std::string out(c);
  XMLString::release(&c);
  return out;
}

/// Element children of `e` (all of them, or those with local name `name`).
std::vector<DOMElement*> children(const DOMElement* e, const std::string& name = "") {
  std::vector<DOMElement*> out;
  for (DOMElement* c = e->getFirstElementChild(); c; c = c->getNextElementSibling())
    if (name.empty() || str(c->getLocalName()) == name) out.push_back(c);
  return out;
}
std::string text(const DOMElement* e) { return str(e->getTextContent()); }
std::string child_text(const DOMElement* e, const std::string& name) {
  auto c = children(e, name);
  REQUIRE(c.size() == 1);
  return text(c[0]);
}

struct Parsed {
  std::unique_ptr<XercesDOMParser> parser = std::make_unique<XercesDOMParser>();
  DOMElement* root = nullptr;
};

Parsed parse(const std::string& xml) {
  Parsed p;
  p.parser->setDoNamespaces(true);
  p.parser->setValidationScheme(XercesDOMParser::Val_Never);
  MemBufInputSource src(reinterpret_cast<const XMLByte*>(xml.data()), xml.size(), "rapport");
  p.parser->parse(src);
  REQUIRE(p.parser->getErrorCount() == 0);
  p.root = p.parser->getDocument()->getDocumentElement();
  REQUIRE(p.root);
  return p;
}

}  // namespace

TEST_SUITE("rules") {
  TEST_CASE("rules: rapport of a message with a level-2 error") {
    std::string s = tpl("wmo307.xml");
    s = sub(s, "300202", "300201");
    s = sub(s, "01A12", "01A11");
    s = sub(s, "<wmo307:RedenBeeindiging>19<", "<wmo307:RedenBeeindiging>20<");
    s = sub(s, "<wmo307:Einddatum>2025-04-15<", "<wmo307:Einddatum>2025-04-10<");
    s = sub(s, "<iwmo:Identificatie>T307-0001<", "<iwmo:Identificatie> T307  001 <");
    auto r = run(s);
    const std::string xml = report::to_rapport(r);
    auto p = parse(xml);
    CHECK(str(p.root->getLocalName()) == "Rapport");
    CHECK(str(p.root->getNamespaceURI()) ==
          "http://www.istandaarden.nl/validatie/1_1/rapport/schema");
    auto top = children(p.root);
    REQUIRE(top.size() == 2);
    CHECK(str(top[0]->getLocalName()) == "Header");
    CHECK(str(top[1]->getLocalName()) == "Fouten");
    const DOMElement* h = top[0];
    std::vector<std::string> names;
    for (auto* c : children(h)) names.push_back(str(c->getLocalName()));
    CHECK(names == std::vector<std::string>{"BerichtCode", "BerichtVersie", "BerichtSubversie",
                                            "BerichtIdentificatie", "XSLTVersie"});
    CHECK(child_text(h, "BerichtCode") == "420");
    CHECK(child_text(h, "BerichtVersie") == "3");
    CHECK(child_text(h, "BerichtSubversie") == "2");
    const DOMElement* bi = children(h, "BerichtIdentificatie").at(0);
    CHECK(child_text(bi, "Identificatie") == "T307 001");  // whitespace-normalised
    CHECK(child_text(bi, "Dagtekening") == "2025-04-20");
    CHECK(child_text(h, "XSLTVersie") == "2.10.5");

    auto fouten = children(top[1], "Fout");
    REQUIRE(fouten.size() == 1);
    const DOMElement* f = fouten[0];
    names.clear();
    for (auto* c : children(f)) names.push_back(str(c->getLocalName()));
    CHECK(names == std::vector<std::string>{"Code", "Retourcode", "Locatie", "Locatie", "Details"});
    CHECK(child_text(f, "Code") == "TR101");
    CHECK(child_text(f, "Retourcode") == "0001");
    auto loc = children(f, "Locatie");
    CHECK(text(loc[0]) == "/Bericht/Client/StopProducten/StopProduct[2]");
    CHECK(text(loc[1]) == "/Bericht/Client/StopProducten/StopProduct[1]");
    // The finding's text, then the catalogue's advice.
    const std::string details = child_text(f, "Details");
    CHECK(details.rfind(findings_of(r, "TR101").at(0).text + " Wat te doen: ", 0) == 0);
    CHECK(details.size() > findings_of(r, "TR101").at(0).text.size() + 20);
    // Every child is in the report namespace.
    for (auto* c : children(f))
      CHECK(str(c->getNamespaceURI()) == "http://www.istandaarden.nl/validatie/1_1/rapport/schema");
  }

  TEST_CASE("rules: rapport of a valid message has an empty Fouten") {
    auto p = parse(report::to_rapport(run(tpl("wmo305.xml"))));
    auto fouten = children(p.root, "Fouten");
    REQUIRE(fouten.size() == 1);
    CHECK(children(fouten[0]).empty());
    CHECK(child_text(children(p.root, "Header").at(0), "BerichtCode") == "418");
  }

  TEST_CASE("rules: rapport of an XSD-invalid message lists the XSD errors") {
    auto bad = sub(tpl("wmo305.xml"), "<wmo305:Geslacht>2<", "<wmo305:Geslacht>7<");
    auto r = validator().validate(bad, "bad.xml");
    REQUIRE_FALSE(r.xsd_valid);
    auto p = parse(report::to_rapport(r));
    const DOMElement* h = children(p.root, "Header").at(0);
    CHECK(child_text(h, "BerichtCode") == "418");
    CHECK(child_text(children(h, "BerichtIdentificatie").at(0), "Identificatie") == "T305-0001");
    auto fouten = children(children(p.root, "Fouten").at(0), "Fout");
    REQUIRE(!fouten.empty());
    CHECK(child_text(fouten[0], "Code") == "XSD");
    CHECK(children(fouten[0], "Retourcode").empty());
    CHECK(text(children(fouten[0], "Locatie").at(0)) == "/Bericht/Client/Geslacht");
  }

  TEST_CASE("rules: rapport details are escaped and BSNs masked") {
    // A level-2 error on a real-looking BSN (nine digits, one off the 11-proof) in a message
    // whose Identificatie holds characters XML must escape.
    std::string s = sub(tpl("wmo305.xml"), "999900006", "999900007");
    s = sub(s, "<iwmo:Identificatie>T305-0001<", "<iwmo:Identificatie>T&lt;305&amp;\"1<");
    auto r = run(s);
    REQUIRE(r.message);
    REQUIRE(r.message->header.identificatie.value == "T<305&\"1");
    const std::string xml = report::to_rapport(r);
    CHECK(xml.find("999900007") == std::string::npos);
    CHECK(xml.find("<Identificatie>T&lt;305&amp;&quot;1</Identificatie>") != std::string::npos);
    auto p = parse(xml);
    const DOMElement* h = children(p.root, "Header").at(0);
    CHECK(child_text(children(h, "BerichtIdentificatie").at(0), "Identificatie") == "T<305&\"1");
    auto fouten = children(children(p.root, "Fouten").at(0), "Fout");
    REQUIRE(fouten.size() == 1);
    CHECK(child_text(fouten[0], "Code") == "CS002");
    CHECK(text(children(fouten[0], "Locatie").at(0)) == "/Bericht/Client/Bsn");
    const std::string details = child_text(fouten[0], "Details");
    CHECK_MESSAGE(details.rfind("Bsn ******007 fails the 11-proof", 0) == 0, details);

    // An XSD error quotes the offending value: the Details carry it escaped.
    auto bad = sub(tpl("wmo305.xml"), "<wmo305:Geslacht>2<", "<wmo305:Geslacht>&lt;2&amp;&gt;<");
    auto b = validator().validate(bad, "bad.xml");
    REQUIRE_FALSE(b.xsd_valid);
    const std::string bad_xml = report::to_rapport(b);
    CHECK(bad_xml.find("&lt;2&amp;&gt;") != std::string::npos);
    auto bp = parse(bad_xml);
    auto bad_fouten = children(children(bp.root, "Fouten").at(0), "Fout");
    REQUIRE_FALSE(bad_fouten.empty());
    CHECK(text(children(bad_fouten[0], "Locatie").at(0)) == "/Bericht/Client/Geslacht");
    const std::string bad_details = child_text(bad_fouten[0], "Details");
    CHECK_MESSAGE(bad_details.find("<2&>") != std::string::npos, bad_details);
  }
}
