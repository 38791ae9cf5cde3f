// Validator: the typed model field by field on the official examples, hostile input, and the
// grind (results must not depend on how the input arrives).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "core/report/report.hpp"
#include "core/validator.hpp"
#include "core/xml/schema_bundle.hpp"
#include "test_util.hpp"

using namespace istd;
using istd::model::MessageType;

namespace {

/// A TCP listener on 127.0.0.1 that accepts and closes every connection and counts them: a URL
/// naming its port shows whether anything tried to fetch it.
class ConnectionCounter {
 public:
  ConnectionCounter() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t n = sizeof a;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n) == 0);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        ++accepted_;
        ::close(c);
      }
    });
  }
  ~ConnectionCounter() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  ConnectionCounter(const ConnectionCounter&) = delete;
  ConnectionCounter& operator=(const ConnectionCounter&) = delete;
  unsigned short port() const { return port_; }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

std::shared_ptr<const SchemaBundle> bundle() {
  static auto b = std::make_shared<const SchemaBundle>(SchemaBundle::load(test::schema_dir()));
  return b;
}

Validator make(ValidateOptions o = {}) {
  o.checks = Checks::xsd;
  return Validator(bundle(), o);
}

/// An official example from $ISTD_REFERENCE_DIR (CI sets it; the test fails, never skips).
std::string reference(const std::string& rel) {
  const auto dir = test::reference_dir();
  INFO("ISTD_REFERENCE_DIR must point at shared/reference (set by .ci/run and tools/test.sh)");
  REQUIRE_FALSE(dir.empty());
  const auto p = dir / rel;
  REQUIRE(std::filesystem::exists(p));
  return test::read_file(p);
}

/// An iJw example moved into the iWmo namespaces (same shapes, DOMAIN.md §1.5). iJw-only
/// category 45 becomes Wmo category 02.
std::string ijw_to_iwmo(std::string s) {
  s = std::regex_replace(s, std::regex("http://www.istandaarden.nl/ijw/3_2/jw"),
                         "http://www.istandaarden.nl/iwmo/3_2/wmo");
  s = std::regex_replace(s, std::regex("http://www.istandaarden.nl/ijw/3_2/"),
                         "http://www.istandaarden.nl/iwmo/3_2/");
  s = std::regex_replace(s, std::regex("(</?)jw(3[0-9][0-9]):"), "$1wmo$2:");
  s = std::regex_replace(s, std::regex("xmlns:jw(3[0-9][0-9])="), "xmlns:wmo$1=");
  s = std::regex_replace(s, std::regex("(</?)ijw:"), "$1iwmo:");
  s = std::regex_replace(s, std::regex("xmlns:ijw="), "xmlns:iwmo=");
  for (auto [from, to] : {std::pair{"437", "415"}, {"439", "419"}, {"441", "421"}, {"491", "485"}})
    s = std::regex_replace(s, std::regex(std::string("BerichtCode>") + from + "<"),
                           std::string("BerichtCode>") + to + "<");
  s = std::regex_replace(s, std::regex("ProductCategorie>45<"), "ProductCategorie>02<");
  return s;
}

ValidationResult validate(const std::string& xml, ValidateOptions o = {}) {
  auto v = make(o);
  return v.validate(xml, "test.xml");
}

const Finding& only_finding(const ValidationResult& r) {
  REQUIRE(r.findings.size() == 1);
  return r.findings.front();
}

const char* kValid305 = R"(<?xml version="1.0" encoding="UTF-8"?>
<wmo305:Bericht xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema" xmlns:wmo305="http://www.istandaarden.nl/iwmo/3_2/wmo305/schema">
  <wmo305:Header>
    <wmo305:BerichtCode>418</wmo305:BerichtCode>
    <wmo305:BerichtVersie>3</wmo305:BerichtVersie>
    <wmo305:BerichtSubversie>2</wmo305:BerichtSubversie>
    <wmo305:Afzender>65656055</wmo305:Afzender>
    <wmo305:Ontvanger>0363</wmo305:Ontvanger>
    <wmo305:BerichtIdentificatie>
      <iwmo:Identificatie>START-0001</iwmo:Identificatie>
      <iwmo:Dagtekening>2025-04-07</iwmo:Dagtekening>
    </wmo305:BerichtIdentificatie>
    <wmo305:XsdVersie>
      <iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie>
      <iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie>
    </wmo305:XsdVersie>
  </wmo305:Header>
  <wmo305:Client>
    <wmo305:Bsn>999900006</wmo305:Bsn>
    <wmo305:Geboortedatum>
      <iwmo:Datum>1948-02-11</iwmo:Datum>
    </wmo305:Geboortedatum>
    <wmo305:Geslacht>2</wmo305:Geslacht>
    <wmo305:Naam>
      <iwmo:Geslachtsnaam>
        <iwmo:Achternaam>ACHTERNAAM</iwmo:Achternaam>
      </iwmo:Geslachtsnaam>
      <iwmo:Voorletters>A</iwmo:Voorletters>
    </wmo305:Naam>
    <wmo305:StartProducten>
      <wmo305:StartProduct>
        <wmo305:ToewijzingNummer>300201</wmo305:ToewijzingNummer>
        <wmo305:Product>
          <iwmo:Categorie>01</iwmo:Categorie>
          <iwmo:Code>01A11</iwmo:Code>
        </wmo305:Product>
        <wmo305:ToewijzingIngangsdatum>2025-04-01</wmo305:ToewijzingIngangsdatum>
        <wmo305:Begindatum>2025-04-03</wmo305:Begindatum>
        <wmo305:StatusAanlevering>1</wmo305:StatusAanlevering>
      </wmo305:StartProduct>
    </wmo305:StartProducten>
  </wmo305:Client>
</wmo305:Bericht>
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  s.replace(pos, from.size(), to);
  return s;
}

}  // namespace

TEST_SUITE("validator") {
  TEST_CASE("validator: WMO301 example gives every field of the typed model") {
    auto r = validate(reference("iwmo-3.2/examples/WMO301.xml"));
    REQUIRE(r.xsd_valid);
    REQUIRE(r.message);
    const auto& m = *r.message;
    CHECK(m.type == MessageType::WMO301);
    CHECK(m.header.berichtcode.value == "414");
    CHECK(m.header.berichtversie.value == "3");
    CHECK(m.header.berichtsubversie.value == "2");
    CHECK(m.header.afzender.value == "0384");
    CHECK(m.header.ontvanger.value == "42420001");
    CHECK(m.header.identificatie.value == "123456789012");
    CHECK(m.header.dagtekening.value == "2023-08-13");
    CHECK(m.header.basisschema_xsd_versie.value == "1.0.0");
    CHECK(m.header.bericht_xsd_versie.value == "1.0.0");
    CHECK(r.identificatie == "123456789012");
    const auto& c = m.client;
    CHECK(c.bsn.value == "999900006");
    CHECK(c.geboortedatum.datum.value == "1967-08-13");
    CHECK_FALSE(c.geboortedatum.datum_gebruik.present());
    CHECK(c.geslacht.value == "1");
    CHECK(c.naam.achternaam.value == "Wit");
    CHECK(c.naam.voorvoegsel.value == "de");
    CHECK(c.naam.partnernaam_achternaam.value == "Jansen");
    CHECK(c.naam.voornamen.value == "Tim");
    CHECK(c.naam.voorletters.value == "T");
    CHECK(c.naam.naamgebruik.value == "4");
    CHECK(c.communicatie.vorm.value == "1");
    CHECK(c.communicatie.taal.value == "Deens");
    CHECK(c.juridische_status.value == "02");
    CHECK(c.wettelijke_vertegenwoordiging.value == "06");
    CHECK(c.commentaar.value == "Client commentaar");
    REQUIRE(c.relatie.size() == 2);
    CHECK(c.relatie[0].nummer.value == "1");
    CHECK(c.relatie[0].volgorde.value == "1");
    CHECK(c.relatie[0].soort.value == "03");
    CHECK(c.relatie[0].geboortedatum.datum.value == "1967-01-13");
    CHECK(c.relatie[0].naam.achternaam.value == "Jansen");
    CHECK(c.relatie[0].naam.naamgebruik.value == "1");
    CHECK(c.relatie[0].contact.soort.value == "01");
    CHECK(c.relatie[0].contact.adres.huisnummer.value == "10");
    CHECK(c.relatie[0].contact.adres.huisletter.value == "A");
    CHECK(c.relatie[0].contact.adres.huisnummer_toevoeging.value == "BEL");
    CHECK(c.relatie[0].contact.adres.aanduiding_woonadres.value == "AB");
    CHECK(c.relatie[0].contact.adres.postcode.value == "9999XX");
    CHECK(c.relatie[0].contact.adres.straatnaam.value == "straat");
    CHECK(c.relatie[0].contact.adres.plaatsnaam.value == "plaats");
    CHECK(c.relatie[0].contact.adres.landcode.value == "AD");
    CHECK(c.relatie[0].contact.organisatie.value == "THuis");
    CHECK(c.relatie[0].contact.telefoon != model::kNoNode);
    CHECK(c.relatie[0].contact.emailadres.value == "a@b.com");
    CHECK(c.relatie[1].nummer.value == "2");
    REQUIRE(c.contacten.size() == 1);
    REQUIRE(c.toegewezen.size() == 1);
    const auto& tp = c.toegewezen[0];
    CHECK(tp.toewijzing_nummer.value == "101");
    CHECK(tp.referentie_aanbieder.value == "42420002");
    CHECK(tp.product.categorie.value == "01");
    CHECK(tp.product.code.value == "01A01");
    CHECK(tp.toewijzingsdatum.value == "2023-08-13");
    CHECK(tp.toewijzingstijd.value == "12:34:56");
    CHECK(tp.ingangsdatum.value == "2023-01-01");
    CHECK(tp.einddatum.value == "2023-12-31");
    CHECK_FALSE(tp.reden_wijziging.present());
    CHECK(tp.omvang.volume.value == "10");
    CHECK(tp.omvang.eenheid.value == "01");
    CHECK(tp.omvang.frequentie.value == "1");
    CHECK_FALSE(tp.budget.present());
    CHECK(tp.commentaar.value == "Toegewezen product 1 Commentaar ");
    CHECK(m.path(tp.omvang.volume.node) ==
          "/Bericht/Client/ToegewezenProducten/ToegewezenProduct/Omvang/Volume");
    CHECK(m.path(c.relatie[1].naam.achternaam.node) ==
          "/Bericht/Client/Relaties/Relatie[2]/Naam/Geslachtsnaam/Achternaam");
  }

  TEST_CASE("validator: WMO305 example gives every field of the typed model") {
    auto r = validate(reference("iwmo-3.2/examples/WMO305.xml"));
    REQUIRE(r.xsd_valid);
    const auto& m = *r.message;
    CHECK(m.type == MessageType::WMO305);
    CHECK(m.header.berichtcode.value == "418");
    CHECK(m.header.afzender.value == "65656055");
    CHECK(m.header.ontvanger.value == "0363");
    CHECK(m.client.bsn.value == "999900006");
    REQUIRE_FALSE(m.client.starts.empty());
    for (const auto& sp : m.client.starts) {
      CHECK(sp.toewijzing_nummer.present());
      CHECK(sp.begindatum.present());
      CHECK(sp.status_aanlevering.filled());
    }
    const auto& sp = m.client.starts[0];
    CHECK(sp.toewijzing_nummer.value == "300201");
    CHECK(sp.product.categorie.value == "01");
    CHECK(sp.product.code.value == "01A11");
    CHECK(sp.toewijzing_ingangsdatum.value == "2025-04-01");
    CHECK(sp.begindatum.value == "2025-04-03");
    CHECK(sp.status_aanlevering.value == "1");
  }

  TEST_CASE("validator: WMO307 example gives every field of the typed model") {
    auto r = validate(reference("iwmo-3.2/examples/WMO307.xml"));
    REQUIRE(r.xsd_valid);
    const auto& m = *r.message;
    CHECK(m.type == MessageType::WMO307);
    CHECK(m.header.identificatie.value == "123456789014");
    CHECK(m.header.dagtekening.value == "2025-07-21");
    CHECK(m.client.naam.achternaam.value == "Vries");
    CHECK(m.client.naam.voorvoegsel.value == "de");
    CHECK(m.client.naam.voornamen.value == "Peter R");
    REQUIRE(m.client.stops.size() == 2);
    const auto& s2 = m.client.stops[1];
    CHECK(s2.toewijzing_nummer.value == "300202");
    CHECK(s2.product.code.value == "01A12");
    CHECK(s2.toewijzing_ingangsdatum.value == "2025-04-01");
    CHECK(s2.begindatum.value == "2025-04-15");
    CHECK(s2.reden_beeindiging.value == "31");
    CHECK(s2.einddatum.value == "2025-07-18");
    CHECK(s2.status_aanlevering.value == "1");
    CHECK(m.path(s2.einddatum.node) == "/Bericht/Client/StopProducten/StopProduct[2]/Einddatum");
    CHECK(m.line(s2.einddatum.node) > 0);
  }

  TEST_CASE("validator: WMO323 example gives every field of the typed model") {
    auto r = validate(reference("iwmo-3.2/examples/WMO323.xml"));
    REQUIRE(r.xsd_valid);
    const auto& d = r.message->declaratie;
    CHECK(r.message->type == MessageType::WMO323);
    CHECK(d.declaratie_nummer.value == "DN001");
    CHECK(d.declaratie_periode.begindatum.value == "2023-04-01");
    CHECK(d.declaratie_periode.einddatum.value == "2023-04-30");
    CHECK(d.declaratie_dagtekening.value == "2023-05-06");
    CHECK(d.totaal_ingediend.bedrag.value == "58000");
    CHECK(d.totaal_ingediend.debet_credit.value == "D");
    REQUIRE(d.clienten.size() == 2);
    CHECK(d.clienten[1].bsn.value == "999900018");
    REQUIRE(d.clienten[0].prestaties.size() == 2);
    const auto& p = d.clienten[0].prestaties[1];
    CHECK(p.referentie_nummer.value == "RN002");
    CHECK_FALSE(p.vorig_referentie_nummer.present());
    CHECK(p.toewijzing_nummer.value == "200730");
    CHECK(p.product_categorie.value == "01");
    CHECK(p.product_code.value == "01A04");
    CHECK(p.product_periode.begindatum.value == "2023-04-01");
    CHECK(p.product_periode.einddatum.value == "2023-04-30");
    CHECK(p.geleverd_volume.value == "16");
    CHECK(p.eenheid.value == "04");
    CHECK(p.product_tarief.value == "1500");
    CHECK(p.ingediend_bedrag.bedrag.value == "24000");
    CHECK(p.ingediend_bedrag.debet_credit.value == "D");
    CHECK(r.message->path(p.ingediend_bedrag.bedrag.node) ==
          "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]/IngediendBedrag/Bedrag");
  }

  TEST_CASE("validator: WMO325 (iJw example in the iWmo namespace) gives the answer model") {
    auto r = validate(ijw_to_iwmo(reference("ijw-3.2/examples/JW325.xml")));
    INFO(report::to_text(r));
    REQUIRE(r.xsd_valid);
    const auto& m = *r.message;
    CHECK(m.type == MessageType::WMO325);
    CHECK(m.header.berichtcode.value == "485");
    CHECK(m.header.declaratie_identificatie_id.value == "765432198");
    CHECK(m.header.declaratie_identificatie_dagtekening.value == "2023-05-07");
    CHECK(m.header.xslt_versie.value == "1.0.0");
    CHECK(m.header.xsd_versie_declaratie_bericht.value == "1.0.0");
    REQUIRE(m.header.retourcodes.codes.size() == 1);
    CHECK(m.header.retourcodes.codes[0].value == "0200");
    const auto& d = m.declaratie;
    CHECK(d.declaratie_nummer.value == "DN001");
    CHECK(d.totaal_ingediend.bedrag.value == "58000");
    CHECK(d.totaal_toegekend.bedrag.value == "34000");
    CHECK(d.totaal_toegekend.debet_credit.value == "C");
    REQUIRE_FALSE(d.clienten.empty());
    const auto& p = d.clienten[0].prestaties[1];
    CHECK(p.vorig_referentie_nummer.value == "RT002");
    REQUIRE(p.retourcodes.codes.size() == 3);
    CHECK(p.retourcodes.codes[2].value == "9341");
    CHECK(d.clienten[0].retourcodes.present());
    CHECK(d.retourcodes.present());
  }

  TEST_CASE("validator: WMO302, WMO306 and WMO308 (iJw examples in the iWmo namespace) parse") {
    for (const char* name : {"JW302", "JW306", "JW308"}) {
      CAPTURE(name);
      auto r = validate(ijw_to_iwmo(reference(std::string("ijw-3.2/examples/") + name + ".xml")));
      INFO(report::to_text(r));
      REQUIRE(r.xsd_valid);
      CHECK(r.message->header.identificatie_retour.filled());
      CHECK(r.message->header.dagtekening_retour.filled());
      CHECK(r.message->header.xsd_versie_retour_bericht.filled());
    }
    auto r306 = validate(ijw_to_iwmo(reference("ijw-3.2/examples/JW306.xml")));
    CHECK(r306.message->type == MessageType::WMO306);
    CHECK(r306.message->header.berichtcode.value == "419");
    REQUIRE(r306.message->header.retourcodes.codes.size() == 1);
    CHECK(r306.message->header.retourcodes.codes[0].value == "8848");
  }

  TEST_CASE("validator: an XSD violation names the element, line and path") {
    auto r = validate(replace(kValid305, "<wmo305:Begindatum>2025-04-03", "<wmo305:Begindatum>2025-02-30"));
    CHECK_FALSE(r.valid());
    CHECK_FALSE(r.message);
    const auto& f = only_finding(r);
    CHECK(f.rule == "XSD");
    CHECK(f.path() == "/Bericht/Client/StartProducten/StartProduct/Begindatum");
    CHECK(f.line == 38);
    CHECK(f.text.find("2025-02-30") != std::string::npos);
    CHECK(r.type == MessageType::WMO305);
    CHECK(r.identificatie == "START-0001");
  }

  TEST_CASE("validator: the sample message is valid and JSON says so") {
    auto r = validate(kValid305);
    CHECK(r.valid());
    auto j = report::to_json(r);
    CHECK(j.dump() ==
          R"({"source":"test.xml","message":"WMO305","identificatie":"START-0001","valid":true,"findings":[]})");
  }

  TEST_CASE("validator: hostile and unacceptable input gets one clear finding each") {
    struct Case {
      std::string name, xml, rule, text;
    };
    const std::string v = kValid305;
    const std::string body = v.substr(v.find("<wmo305:Bericht"));
    std::string utf16;
    utf16 += "\xFF\xFE";
    for (char c : v) {
      utf16 += c;
      utf16 += '\0';
    }
    const std::vector<Case> cases = {
        {"empty", "", "XML", "empty"},
        {"not xml", "this is not XML at all\n", "XML", "not well-formed"},
        {"truncated", v.substr(0, v.size() / 2), "XML", "not well-formed"},
        {"doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE Bericht [<!ENTITY a \"b\">]>\n" + body,
         "XML", "DOCTYPE"},
        {"xxe",
         "<?xml version=\"1.0\"?>\n<!DOCTYPE Bericht [<!ENTITY x SYSTEM "
         "\"file:///etc/passwd\">]>\n<Bericht>&x;</Bericht>",
         "XML", "DOCTYPE"},
        {"billion laughs",
         "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
         "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n<lolz>&lol2;</lolz>",
         "XML", "DOCTYPE"},
        {"utf16", utf16, "XML", "UTF-16"},
        {"latin1", replace(v, "encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\""), "XML",
         "ISO-8859-1"},
        {"invalid utf8", replace(v, "ACHTERNAAM", "ACHTER\xC3\x28NAAM"), "XML",
         "not well-formed XML: invalid byte '(' at position 2 of a 2-byte sequence"},
        {"unknown namespace",
         "<?xml version=\"1.0\"?><Bericht xmlns=\"http://example.org/other\"/>", "XSD",
         "not an iWmo 3.2 or iJw 3.2 message"},
        {"older release", replace(v, "http://www.istandaarden.nl/iwmo/3_2/wmo305/schema",
                                  "http://www.istandaarden.nl/iwmo/3_1/wmo305/schema"),
         "XSD", "an iWmo 3.1 message?"},
        {"newer ijw release", replace(v, "http://www.istandaarden.nl/iwmo/3_2/wmo305/schema",
                                      "http://www.istandaarden.nl/ijw/3_3/jw305/schema"),
         "XSD", "an iJw 3.3 message?"},
        {"empty wmo315",
         "<?xml version=\"1.0\"?><Bericht "
         "xmlns=\"http://www.istandaarden.nl/iwmo/3_2/wmo315/schema\"/>",
         "XSD", "Header"},  // Xerces: "(Header,Client)"; compiled: "expected 'Header'"
        {"wrong root", "<?xml version=\"1.0\"?><Foo xmlns=\"http://www.istandaarden.nl/iwmo/3_2/wmo305/schema\"/>",
         "XSD", "root element is 'Foo'"},
        {"no root", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n", "XML",
         "not well-formed XML: invalid document structure"},
    };
    for (const auto& [case_, engine_] : [&] {
           std::vector<std::pair<Case, Engine>> both;  // every case under both engines
           for (const auto& c : cases)
             for (const auto e : {Engine::compiled, Engine::xerces}) both.emplace_back(c, e);
           return both;
         }()) {
      const Case& c = case_;  // plain names: CAPTURE cannot take a structured binding
      const bool xerces = engine_ == Engine::xerces;
      const Engine engine = engine_;
      CAPTURE(c.name);
      CAPTURE(xerces);
      REQUIRE_FALSE(std::string_view(c.text).empty());  // "" is found in any text
      ValidateOptions o;
      o.engine = engine;
      auto r = validate(c.xml, o);
      CHECK_FALSE(r.valid());
      CHECK_FALSE(r.message);
      REQUIRE_FALSE(r.findings.empty());
      CHECK(r.findings.front().rule == c.rule);
      CHECK(r.findings.front().text.find(c.text) != std::string::npos);
      CHECK(r.findings.size() <= 2);
    }
  }

  TEST_CASE("validator: deep nesting, huge text and oversize input are refused within limits") {
    // Nesting: the root and 63 elements (64 levels) are parsed on; one level more is refused
    // with the depth finding, which ends the parse (so it is the last finding).
    auto nested = [](std::size_t levels) {
      std::string x =
          "<?xml version=\"1.0\"?><Bericht "
          "xmlns=\"http://www.istandaarden.nl/iwmo/3_2/wmo305/schema\">";
      for (std::size_t i = 1; i < levels; ++i) x += "<a>";
      for (std::size_t i = 1; i < levels; ++i) x += "</a>";
      return x + "</Bericht>";
    };
    auto depth_findings = [](const ValidationResult& r) {
      std::size_t n = 0;
      for (const auto& f : r.findings)
        n += f.text.find("nested more than") != std::string::npos;
      return n;
    };
    const std::string depth_text =
        "elements are nested more than 64 levels deep; no iWmo message nests that deep, so the "
        "file is refused";
    for (std::size_t levels : {std::size_t(65), std::size_t(100000)}) {
      CAPTURE(levels);
      auto r = validate(nested(levels));
      CHECK_FALSE(r.valid());
      REQUIRE_FALSE(r.findings.empty());
      CHECK(r.findings.back().rule == "XML");
      CHECK(r.findings.back().text == depth_text);
      CHECK(depth_findings(r) == 1);
      CHECK(r.findings.size() <= 101);
    }
    auto at_limit = validate(nested(64));  // near miss: invalid (no element 'a'), not too deep
    CHECK_FALSE(at_limit.valid());
    CHECK_FALSE(at_limit.findings.empty());
    CHECK(depth_findings(at_limit) == 0);

    // Text: one value of max_text_bytes is read (the XSD then finds it too long for an
    // Achternaam); one byte more is refused with the text-size finding.
    auto text_findings = [](const ValidationResult& r) {
      std::size_t n = 0;
      for (const auto& f : r.findings)
        n += f.text.find("a text value is longer than") != std::string::npos;
      return n;
    };
    const std::size_t max_text = ValidateOptions{}.max_text_bytes;
    REQUIRE(max_text == 1u << 20);
    for (std::size_t size : {max_text + 1, std::size_t(3u << 20)}) {
      CAPTURE(size);
      auto h = validate(replace(kValid305, "ACHTERNAAM", std::string(size, 'a')));
      CHECK_FALSE(h.valid());
      REQUIRE_FALSE(h.findings.empty());
      CHECK(h.findings.back().rule == "XML");
      CHECK(h.findings.back().text ==
            "a text value is longer than 1048576 bytes; no iWmo element holds that much text, "
            "so the file is refused");
      CHECK(text_findings(h) == 1);
    }
    auto text_at_limit = validate(replace(kValid305, "ACHTERNAAM", std::string(max_text, 'a')));
    CHECK_FALSE(text_at_limit.valid());
    REQUIRE_FALSE(text_at_limit.findings.empty());
    CHECK(text_findings(text_at_limit) == 0);
    CHECK(text_at_limit.findings.front().rule == "XSD");
    CHECK(text_at_limit.findings.front().path() == "/Bericht/Client/Naam/Geslachtsnaam/Achternaam");

    // Size: over max_message_bytes nothing is parsed; at the limit the message is read.
    ValidateOptions small;
    small.max_message_bytes = 100;
    auto o = validate(kValid305, small);
    const auto& f = only_finding(o);
    CHECK(f.rule == "LIMIT");
    CHECK(f.text.find("maximum message size") != std::string::npos);
    ValidateOptions exact;
    exact.max_message_bytes = std::string(kValid305).size();
    CHECK(validate(kValid305, exact).valid());
    exact.max_message_bytes -= 1;
    CHECK(only_finding(validate(kValid305, exact)).rule == "LIMIT");
  }

  TEST_CASE("validator: a BOM is a warning by default and an error when configured") {
    std::string bom = "\xEF\xBB\xBF" + std::string(kValid305);
    auto r = validate(bom);
    CHECK(r.valid());
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].severity == Severity::warning);
    ValidateOptions o;
    o.bom = BomPolicy::reject;
    CHECK_FALSE(validate(bom, o).valid());
  }

  TEST_CASE("validator: xsi:schemaLocation is ignored, nothing is fetched") {
    // The hints point at a local file that is no schema (loading it would be an error, so the
    // verdict would change) and at a local port that counts connections.
    const auto evil = std::filesystem::temp_directory_path() /
                      fmt::format("istd-validator-test-{}-evil.xsd", ::getpid());
    {
      std::ofstream(evil) << "this file is not a schema\n";
    }
    struct Remove {
      std::filesystem::path p;
      ~Remove() {
        std::error_code ec;
        std::filesystem::remove(p, ec);
      }
    } remove_evil{evil};
    ConnectionCounter listener;
    const std::string file_url = "file://" + evil.string();
    const std::string http_url = fmt::format("http://127.0.0.1:{}/evil.xsd", listener.port());
    const std::string ns = "http://www.istandaarden.nl/iwmo/3_2/wmo305/schema";
    const std::vector<std::string> hints = {
        "xsi:schemaLocation=\"" + ns + " " + file_url + "\"",
        "xsi:schemaLocation=\"" + ns + " " + http_url + "\"",
        "xsi:schemaLocation=\"http://example.org/other " + file_url + "\"",
        "xsi:schemaLocation=\"http://example.org/other " + http_url + "\"",
        "xsi:noNamespaceSchemaLocation=\"" + file_url + "\"",
        "xsi:noNamespaceSchemaLocation=\"" + http_url + "\"",
    };
    for (const auto& hint : hints) {
      CAPTURE(hint);
      auto r = validate(replace(kValid305, "<wmo305:Bericht ",
                                "<wmo305:Bericht xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" " +
                                    hint + " "));
      CHECK(r.valid());
      CHECK(r.findings.empty());
      CHECK(r.message);
    }
    CHECK(listener.accepted() == 0);
  }

  TEST_CASE("validator: the predefined entities are ordinary text") {
    auto r = validate(replace(kValid305, "ACHTERNAAM", "Jansen &amp; Zn"));
    REQUIRE(r.valid());
    CHECK(r.message->client.naam.achternaam.value == "Jansen & Zn");
  }

  TEST_CASE("validator: one validator takes iWmo and iJw messages in any order") {
    // Each standard's grammars are compiled at its first message (the parse stops at the root
    // and starts again): whatever came before, every message gets what a fresh validator gives.
    const std::string jw = test::read_file(test::fixture("messages-ijw/JW305-start-45-54.xml"));
    const std::vector<std::string> inputs = {
        replace(jw, "<Begindatum>2025-04-03", "<Begindatum>2025-02-30"),
        kValid305,
        jw,
        replace(kValid305, "<wmo305:Begindatum>2025-04-03", "<wmo305:Begindatum>2025-02-30"),
        std::string(jw).substr(0, 700),
        jw,
    };
    std::vector<std::string> expected;
    for (const auto& in : inputs) expected.push_back(report::to_json(validate(in)).dump());
    CHECK(expected[2].find(R"("valid":true)") != std::string::npos);
    CHECK(expected[0].find("2025-02-30") != std::string::npos);
    for (const bool jw_first : {true, false}) {
      for (std::size_t chunk : {std::size_t{0}, std::size_t{7}}) {
        CAPTURE(jw_first);
        CAPTURE(chunk);
        ValidateOptions o;
        o.input_chunk = chunk;
        auto v = make(o);
        for (std::size_t k = 0; k < inputs.size(); ++k) {
          const std::size_t i = jw_first ? k : inputs.size() - 1 - k;
          CAPTURE(i);
          CHECK(report::to_json(v.validate(inputs[i], "test.xml")).dump() == expected[i]);
        }
      }
    }
  }

  TEST_CASE("validator: grind: any read size gives the same result") {
    const std::vector<std::string> inputs = {
        kValid305,
        replace(kValid305, "<wmo305:Begindatum>2025-04-03", "<wmo305:Begindatum>2025-02-30"),
        std::string(kValid305).substr(0, 900),
    };
    for (const auto& in : inputs) {
      const std::string expected = report::to_json(validate(in)).dump();
      for (std::size_t chunk : {1, 2, 3, 5, 7, 13, 64, 100, 1000}) {
        CAPTURE(chunk);
        ValidateOptions o;
        o.input_chunk = chunk;
        CHECK(report::to_json(validate(in, o)).dump() == expected);
      }
    }
  }
}
