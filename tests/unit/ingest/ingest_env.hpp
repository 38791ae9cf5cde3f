// Test environment for ingest: a temporary ledger and output tree, message builders from the
// templates in tests/data/ingest/, and helpers that read back and validate the retours.
#pragma once

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/ingest/ingest.hpp"
#include "core/ledger/ledger.hpp"
#include "core/report/report.hpp"
#include "core/validator.hpp"
#include "core/xml/schema_bundle.hpp"
#include "test_ledger.hpp"
#include "test_util.hpp"

namespace istd::test {

// DOMAIN.md §8 fixtures.
inline const std::string G = "0363";
inline const std::string P1 = "65656055";
inline const std::string P2 = "12345678";
inline const std::string C1 = "999900006";
inline const std::string C2 = "999900018";

/// Value that keeps the line but inserts nothing.
inline const std::string kKeep = "\x01";

/// Replaces ${KEY} by its value; a line holding a ${KEY} whose value is empty is dropped (the
/// optional element is absent); kKeep inserts nothing and keeps the line.
inline std::string fill(std::string text, const std::map<std::string, std::string>& vars) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size() - 1;
    std::string line = text.substr(pos, eol - pos + 1);
    pos = eol + 1;
    bool drop = false;
    for (const auto& [k, v] : vars) {
      const std::string ph = "${" + k + "}";
      for (std::size_t p = line.find(ph); p != std::string::npos; p = line.find(ph, p + v.size())) {
        if (v.empty() && line.find('<') != std::string::npos) drop = true;
        line.replace(p, ph.size(), v == kKeep ? std::string() : v);
      }
    }
    if (!drop) out += line;
  }
  return out;
}

/// True when the outcome has a finding of this rule with this severity.
inline bool has_rule(const ingest::Outcome& o, std::string_view rule, Severity sev) {
  for (const auto& f : o.result.findings)
    if (f.rule == rule && f.severity == sev) return true;
  return false;
}

inline std::string tmpl(const std::string& name) { return read_file(test_data("ingest/" + name)); }

/// A StartProduct; empty strings leave optional elements out ("" categorie: no Product).
struct SP {
  std::string nr = "300201";
  std::string begin = "2025-04-03";
  std::string status = "1";
  std::string cat = "01";
  std::string code = "01A11";
  std::string toewijzing_ingang = "2025-04-01";
};

struct STP {
  std::string begin = "2025-04-03";
  std::string reden = "20";
  std::string eind = "2025-06-20";
  std::string status = "1";
  std::string nr = "300201";
  std::string cat = "01";
  std::string code = "01A11";
  std::string toewijzing_ingang = "2025-04-01";
};

struct TP {
  std::string nr = "300201";
  std::string datum = "2025-03-20";
  std::string tijd = "10:00:00";
  std::string ingang = "2025-04-01";
  std::string eind = "2025-12-31";
  std::string reden = "";
  std::string cat = "01";
  std::string code = "01A11";
};

inline std::string m305(const std::string& id, const std::vector<SP>& sps,
                        const std::string& agb = P1, const std::string& bsn = C1,
                        const std::string& dag = "2025-08-01", const std::string& gem = G) {
  std::string products;
  for (const auto& s : sps)
    products += fill(tmpl("start_product.xml"),
                     {{"P", s.cat.empty() ? "" : kKeep}, {"NR", s.nr}, {"CATEGORIE", s.cat}, {"CODE", s.code},
                      {"TOEWIJZINGINGANGSDATUM", s.toewijzing_ingang},
                      {"BEGINDATUM", s.begin}, {"STATUS", s.status}});
  return fill(tmpl("wmo305.xml"), {{"AGB", agb}, {"GEMEENTE", gem}, {"ID", id},
                                   {"DAGTEKENING", dag}, {"BSN", bsn}, {"PRODUCTS", products}});
}

inline std::string m307(const std::string& id, const std::vector<STP>& stps,
                        const std::string& agb = P1, const std::string& bsn = C1,
                        const std::string& dag = "2025-08-01", const std::string& gem = G) {
  std::string products;
  for (const auto& s : stps)
    products += fill(tmpl("stop_product.xml"),
                     {{"P", s.cat.empty() ? "" : kKeep}, {"NR", s.nr}, {"CATEGORIE", s.cat}, {"CODE", s.code},
                      {"TOEWIJZINGINGANGSDATUM", s.toewijzing_ingang},
                      {"BEGINDATUM", s.begin}, {"REDEN", s.reden}, {"EINDDATUM", s.eind},
                      {"STATUS", s.status}});
  return fill(tmpl("wmo307.xml"), {{"AGB", agb}, {"GEMEENTE", gem}, {"ID", id},
                                   {"DAGTEKENING", dag}, {"BSN", bsn}, {"PRODUCTS", products}});
}

inline std::string m301(const std::string& id, const std::vector<TP>& tps,
                        const std::string& bsn = C1, const std::string& dag = "2025-03-20",
                        const std::string& agb = P1, const std::string& gem = G) {
  std::string products;
  for (const auto& t : tps)
    products += fill(tmpl("toegewezen_product.xml"),
                     {{"NR", t.nr}, {"CATEGORIE", t.cat}, {"CODE", t.code},
                      {"TOEWIJZINGSDATUM", t.datum}, {"TOEWIJZINGSTIJD", t.tijd},
                      {"INGANGSDATUM", t.ingang}, {"EINDDATUM", t.eind},
                      {"REDENWIJZIGING", t.reden}});
  return fill(tmpl("wmo301.xml"), {{"AGB", agb}, {"GEMEENTE", gem}, {"ID", id},
                                   {"DAGTEKENING", dag}, {"BSN", bsn}, {"PRODUCTS", products}});
}

/// The same message in iJw 3.2: its namespaces and BerichtCode. Categories and codes are the
/// caller's (iJw categories are 31-55).
inline std::string to_jw(std::string xml) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t p = xml.find(from); p != std::string::npos; p = xml.find(from, p + to.size()))
      xml.replace(p, from.size(), to);
  };
  replace_all("http://www.istandaarden.nl/iwmo/3_2/wmo", "http://www.istandaarden.nl/ijw/3_2/jw");
  replace_all("http://www.istandaarden.nl/iwmo/3_2/basisschema",
              "http://www.istandaarden.nl/ijw/3_2/basisschema");
  for (auto [w, j] : {std::pair{"414", "436"}, {"418", "438"}, {"420", "440"}, {"444", "446"}, {"480", "486"}, {"482", "488"},
                      {"484", "490"}})
    replace_all(std::string("BerichtCode>") + w + "<", std::string("BerichtCode>") + j + "<");
  return xml;
}

/// A temporary directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("istd-ingest-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

inline std::shared_ptr<const SchemaBundle> bundle() {
  static auto b = std::make_shared<const SchemaBundle>(SchemaBundle::load(schema_dir()));
  return b;
}

/// Retourcodes read back from a retour.
struct RetourView {
  bool valid = false;                    ///< the retour passes XSD (and level-2) validation
  std::string berichtcode, afzender, xslt_versie, identificatie_retour, dagtekening_retour;
  std::vector<std::string> header;       ///< header RetourCodes (empty: none)
  bool has_client = false;
  std::vector<std::string> client;
  std::vector<std::vector<std::string>> classes;  ///< per StartProduct/StopProduct/TP
  std::vector<Finding> findings;
};

struct Env {
  TempDir dir;
  ingest::Side side = ingest::Side::gemeente;
  std::unique_ptr<Validator> validator;
  std::unique_ptr<ledger::Ledger> ledger;
  std::unique_ptr<ingest::Ingestor> ingestor;
  model::Date today{2025, 12, 1};
  std::set<std::string> taakgericht;
  ingest::Rejected301 rejected_301 = ingest::Rejected301::withdraw;
  bool gezagsdrager_warning = true;
  bool woonplaatsbeginsel_warning = true;

  explicit Env(ingest::Side s = ingest::Side::gemeente) : side(s) { open(); }

  /// The ingest options of this environment (its settings, the output dir under `dir`).
  ingest::Options options() const {
    ingest::Options o;
    o.side = side;
    o.today = today;
    o.out_dir = dir.path / "out";
    o.sync_files = false;
    o.batch_size = 1;
    o.taakgericht = taakgericht;
    o.rejected_301 = rejected_301;
    o.gezagsdrager_warning = gezagsdrager_warning;
    o.woonplaatsbeginsel_warning = woonplaatsbeginsel_warning;
    return o;
  }

  void open() {
    validator = std::make_unique<Validator>(bundle(), ValidateOptions{});
    ledger::OpenOptions lo;
    lo.sync = ledger::OpenOptions::Sync::off;
    ingestor.reset();
    ledger = std::make_unique<ledger::Ledger>(test::ledger_at(dir.path / "ledger.db"), lo);
    ingestor = std::make_unique<ingest::Ingestor>(*ledger, bundle(), options());
    ingestor->recover();
  }

  ingest::Outcome send(const std::string& xml, const std::string& name = "in.xml") {
    auto r = validator->validate(xml, name);
    auto o = ingestor->process(xml, std::move(r));
    ingestor->flush();
    return o;
  }

  std::filesystem::path out() const { return dir.path / "out"; }

  RetourView retour(const ingest::Outcome& o) {
    RetourView v;
    REQUIRE_FALSE(o.retour.empty());
    const auto bytes = read_file(out() / o.retour);
    auto r = validator->validate(bytes, o.retour);
    v.findings = r.findings;
    v.valid = r.xsd_valid && r.valid();
    if (!r.message) return v;
    const auto& m = *r.message;
    v.berichtcode = m.header.berichtcode.value;
    v.afzender = m.header.afzender.value;
    v.xslt_versie = m.header.xslt_versie.value;
    v.identificatie_retour = m.header.identificatie_retour.value;
    v.dagtekening_retour = m.header.dagtekening_retour.value;
    for (const auto& c : m.header.retourcodes.codes) v.header.push_back(c.value);
    v.has_client = m.client.present();
    for (const auto& c : m.client.retourcodes.codes) v.client.push_back(c.value);
    auto add = [&](const model::RetourCodes& rc) {
      std::vector<std::string> codes;
      for (const auto& c : rc.codes) codes.push_back(c.value);
      v.classes.push_back(codes);
    };
    for (const auto& s : m.client.starts) add(s.retourcodes);
    for (const auto& s : m.client.stops) add(s.retourcodes);
    for (const auto& s : m.client.toegewezen) add(s.retourcodes);
    return v;
  }

  std::size_t live_starts(const std::string& bsn = C1, const std::string& agb = P1) {
    return ledger->live_starts(agb, G, bsn, 300201).size();
  }
  std::vector<ledger::StopRecord> live_stops(const std::string& bsn = C1) {
    return ledger->live_stops(P1, G, bsn, 300201);
  }
};

using Codes = std::vector<std::string>;

/// Base of the start/stop scenarios: a 301 with allocation 300201 (C1, 01/01A11, 04-01 ..
/// 12-31) from G to P1, accepted.
inline void allocated(Env& e) {
  auto o = e.send(m301("A301", {TP{}}));
  REQUIRE(o.accepted);
}

inline std::string report_text(const ingest::Outcome& o) { return report::to_text(o.result); }

/// Whether the outcome has a finding with this retourcode.
inline bool has_code(const ingest::Outcome& o, std::string_view code) {
  for (const auto& f : o.result.findings)
    if (f.retourcode == code) return true;
  return false;
}

/// Sends a message and checks it was accepted with a valid header-only retour without codes and
/// without a Client part.
inline void accept_clean(Env& e, const std::string& xml) {
  auto o = e.send(xml);
  INFO(report_text(o));
  REQUIRE(o.accepted);
  auto r = e.retour(o);
  CHECK(r.valid);
  CHECK(r.header.empty());
  CHECK_FALSE(r.has_client);
}

/// A Jeugd product (45/45A03) and a Wmo product (02/02A01).
inline const TP kJw{.cat = "45", .code = "45A03"};
inline const TP kWmo{.cat = "02", .code = "02A01"};

}  // namespace istd::test
