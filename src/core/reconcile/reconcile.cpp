#include "core/reconcile/reconcile.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/explain/catalogue.hpp"
#include "core/ledger/ledger.hpp"
#include "core/ledger/reader.hpp"
#include "core/reconcile/answer_325.hpp"
#include "core/reconcile/csv.hpp"
#include "core/reconcile/snapshot.hpp"
#include "core/output/atomic_file.hpp"
#include "core/util/money.hpp"

namespace istd::reconcile {

using nlohmann::json;

std::string rule_of_retourcode(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> kRules = {
      {"0233", "TR304"}, {"0611", "TR418"}, {"8017", "TR323"}, {"8021", "TR314"},
      {"8187", "TR304"}, {"9307", "TR307"}, {"9308", "TR308"}, {"9319", "TR319"},
      {"9321", "TR321"}, {"9322", "TR322"}, {"9338", "TR338"}, {"9339", "TR339"},
      {"9340", "TR340"}, {"9341", "TR341"}, {"9346", "TR346"}, {"9369", "TR369"},
      {"9384", "TR384"}, {"9387", "TR387"}, {"9388", "TR388"}, {"9389", "TR389"},
      {"9390", "TR390"}, {"9333", "TR333"}, {"8214", "TR318"}};
  auto it = kRules.find(code);
  return it == kRules.end() ? std::string("local") : it->second;
}

namespace {

std::string rule_of(const std::string& code) { return rule_of_retourcode(code); }

bool is_declaratie_code(const std::string& c) { return c == "9333" || c == "8214"; }

/// A judgement rebuilt from what an earlier run stored.
Judgement stored_judgement(const Declaration& d, const std::vector<Line>& lines) {
  Judgement j;
  j.lines.resize(lines.size());
  if (!d.intake_codes.empty()) {
    j.header_codes = d.intake_codes;
    for (auto& o : j.lines) o.not_assessed = true;
    return j;
  }
  for (const auto& c : d.retourcodes)
    if (is_declaratie_code(c)) j.declaratie_hits.push_back({rule_of(c), c});
  if (!j.declaratie_hits.empty()) {
    for (auto& o : j.lines) o.not_assessed = true;
    return j;
  }
  std::map<std::string, std::pair<int, int>> per_client;  // bsn -> (lines, 0233 lines)
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    auto& o = j.lines[i];
    o.approved = l.verdict == LineVerdict::approved;
    auto& pc = per_client[l.bsn];
    ++pc.first;
    if (o.approved) {
      j.toegekend += l.signed_bedrag();
      continue;
    }
    if (l.codes.size() == 1 && l.codes[0] == "0233") {
      o.not_assessed = true;
      ++pc.second;
      continue;
    }
    for (const auto& c : l.codes) o.hits.push_back({rule_of(c), c});
  }
  for (const auto& [bsn, n] : per_client)
    if (n.first == n.second) j.client_hits[bsn].push_back({"TR304", "8187"});
  return j;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}


std::string euros(std::int64_t cents) { return util::format_euros(cents, util::kEuroDutch); }

/// The members of every household with a refund finding, with their allocations and billed
/// months (a person billed without a household column is a household of one).
std::vector<ClientHistory> refund_clients(const AtResult& at, const std::vector<AtAllocation>& all,
                                          const std::vector<BillingLine>* billing) {
  std::set<std::string> households;
  std::map<std::string, std::string> members;  // bsn -> household
  for (const auto& f : at.findings)
    if (f.refund) {
      households.insert(f.household.empty() ? f.bsn : f.household);
      members.emplace(f.bsn, f.household.empty() ? f.bsn : f.household);
    }
  std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> billed;
  if (billing)
    for (const auto& b : *billing) {
      const std::string hh = b.household.empty() ? b.bsn : b.household;
      if (!households.count(hh)) continue;
      members.emplace(b.bsn, hh);
      billed[b.bsn].emplace_back(fmt::format("{:04d}-{:02d}", b.year, b.month), b.amount);
    }
  std::map<std::pair<std::string, std::string>, ClientHistory> by_key;
  for (const auto& [bsn, hh] : members) {
    ClientHistory& c = by_key[{hh, bsn}];
    c.bsn = bsn;
    c.household = hh;
    c.billed = std::move(billed[bsn]);
    std::sort(c.billed.begin(), c.billed.end());
  }
  for (const auto& a : all)
    if (auto it = members.find(a.bsn); it != members.end())
      by_key[{it->second, a.bsn}].allocations.push_back(a);
  std::vector<ClientHistory> out;
  out.reserve(by_key.size());
  for (auto& [k, c] : by_key) out.push_back(std::move(c));
  return out;
}

}  // namespace

namespace {

// Thrown inside the writing transaction when a declaration this run judged was answered by another
// run (a second `istd reconcile`, or an instance of the service) after this run read the ledger.
struct AnsweredMeanwhile {};

Result run_once(const std::filesystem::path& db, const Options& opt) {
  Result res;
  res.year = opt.year;
  res.month = opt.month;
  res.policy = opt.policy;
  res.with_billing = opt.billing.has_value();
  LoadOptions lo;
  lo.year = opt.year;
  lo.month = opt.month;
  lo.delivery.stop_einddatum_inclusive = opt.policy.einddatum_inclusive;
  lo.birthdates = opt.policy.minors_exempt;
  LedgerSnapshot snap = load_snapshot(db, lo);
  // Jeugdwet declarations (JW323) are judged against the Jeugd ledger, answered with JW325s, and
  // never feed the abonnementstarief check (Jeugd has no own contribution) or the worklist.
  std::optional<LedgerSnapshot> jw;
  {
    ledger::Reader r(db);
    r.set_standard(model::Standard::ijw);
    if (r.declaration_count() > 0) {
      LoadOptions jlo = lo;
      jlo.standard = model::Standard::ijw;
      jlo.birthdates = false;
      jw = load_snapshot(db, jlo);
    }
  }

  RuleOptions ro;
  ro.tr318_evidence = opt.policy.tr318_delivery_evidence;
  ro.local_before_start = opt.policy.reject_before_start;
  ro.local_in_pause = opt.policy.reject_in_pause;
  ro.tariffs = opt.tariffs;

  const std::size_t total =
      snap.month_declarations.size() + (jw ? jw->month_declarations.size() : 0);
  auto judge_month = [&](LedgerSnapshot& sn, model::Standard standard) {
    for (std::size_t k = 0; k < sn.month_declarations.size(); ++k) {
      DeclarationResult dr;
      dr.standard = standard;
      dr.declaration = sn.month_declarations[k];
      dr.lines = std::move(sn.month_lines[k]);
      const Declaration& d = dr.declaration;
      if (!d.answered) {
        dr.judgement = judge(sn.history, d, dr.lines, ro);
        dr.judged_now = true;
      } else {
        dr.judgement = stored_judgement(d, dr.lines);
        // Signals are recomputed from today's ledger (they may change with late 305s).
        for (std::size_t i = 0; i < dr.lines.size(); ++i) {
          const Line& l = dr.lines[i];
          const Allocation* a = sn.history.allocation(d.gemeente, l.nummer);
          if (!a || a->agb != d.agb || a->deleted || l.credit || dr.judgement.rejected_whole())
            continue;
          dr.judgement.lines[i].signals =
              signals_for(*a, sn.history.intervals(a->gemeente, a->nummer), l);
        }
      }
      res.declarations.push_back(std::move(dr));
      if (opt.progress) opt.progress(res.declarations.size(), total);
    }
  };
  judge_month(snap, model::Standard::iwmo);
  if (jw) judge_month(*jw, model::Standard::ijw);

  // Record the new verdicts and 325s, in one writing transaction: writers of all processes take
  // turns on it. A declaration judged above that another run answered since is never answered
  // twice: the run starts over (and then finds it answered). The 325s are numbered here, after
  // what other writers stored meanwhile.
  {
    ledger::Ledger lg(db, ledger::OpenOptions{false, ledger::OpenOptions::Sync::full});
    auto tx = lg.begin();
    for (const auto& dr : res.declarations)
      if (dr.judged_now) {
        const auto now = lg.declaration(dr.declaration.id);
        if (!now || now->status != ledger::DeclarationStatus::pending) throw AnsweredMeanwhile{};
      }
    std::int64_t next_id = lg.max_message_id() + 1;
    for (auto& dr : res.declarations) {
      const Declaration& d = dr.declaration;
      if (!dr.judged_now) {
        if (d.answer_message_id) {
          auto m = lg.message(*d.answer_message_id);
          dr.bytes_325 = m.bytes;
          dr.route_325 = fmt::format("325/{}/{}.xml", d.agb, m.identificatie);
        }
        continue;
      }
      AnswerHeader h;
      h.identificatie = ledger::output_identificatie(next_id++);
      h.dagtekening = opt.today.to_string();
      const bool wmo = dr.standard == model::Standard::iwmo;
      h.xsd_basis = wmo ? opt.xsd_basis : opt.jw_xsd_basis;
      h.xsd_bericht = wmo ? opt.xsd_bericht : opt.jw_xsd_bericht;
      h.standard = dr.standard;
      dr.bytes_325 = build_325(d, dr.lines, dr.judgement, h);
      dr.route_325 = fmt::format("325/{}/{}.xml", d.agb, h.identificatie);
      const auto type = model::type_of(dr.standard, 325);
      lg.set_standard(dr.standard);
      ledger::NewMessage n;
      n.role = ledger::Role::output;
      n.type = std::string(model::to_string(type));
      n.berichtcode = std::string(model::bericht_code(type));
      n.afzender = d.gemeente;
      n.ontvanger = d.agb;
      const std::string& ident = h.identificatie;
      n.identificatie = ident;
      n.dagtekening = opt.today.to_string();
      n.xsd_basis = wmo ? opt.xsd_basis : opt.jw_xsd_basis;
      n.xsd_bericht = wmo ? opt.xsd_bericht : opt.jw_xsd_bericht;
      n.bytes = dr.bytes_325;
      n.verdict = ledger::Verdict::recorded;
      n.reply_to = d.message_id;
      // Routed like a retour: to the provider (the next `istd ingest --out` materialises it).
      n.route_path = fmt::format("{}/{}/{}.xml", d.agb, n.type, ident);
      const ledger::MessageId id = lg.add_message_unique_route(n);
      if (ledger::output_identificatie(id) != ident)
        throw RuntimeError(fmt::format(
            "ledger: 325 id {} is not the expected {} (another writer?); rerun reconcile", id,
            ident));
      const Judgement& j = dr.judgement;
      std::vector<ledger::Ledger::PrestatieVerdictUpdate> verdicts;
      verdicts.reserve(dr.lines.size());
      for (std::size_t i = 0; i < dr.lines.size(); ++i) {
        const auto& o = j.lines[i];
        std::vector<std::string> codes = o.codes();
        if (!j.declaratie_hits.empty()) codes = j.answer_codes();
        if (o.approved) codes.clear();
        verdicts.push_back({dr.lines[i].id,
                            o.approved ? ledger::PrestatieVerdict::approved
                                       : ledger::PrestatieVerdict::rejected,
                            codes});
        dr.lines[i].verdict = o.approved ? LineVerdict::approved : LineVerdict::rejected;
        dr.lines[i].codes = std::move(codes);
      }
      lg.set_prestatie_verdicts(verdicts);
      for (const auto& [debit, credit] : j.credited) lg.set_credited_by(debit, credit);
      lg.set_declaration_answered(d.id, j.answer_codes(), id);
    }
    tx.commit();
  }

  // The worklist, after this run's 325s are recorded (they settle the month's claims).
  {
    worklist::Options wo;
    wo.today = opt.today;
    wo.policy = opt.policy;
    res.worklist = worklist::build(worklist::from_snapshot(snap, db), wo);
  }

  // Abonnementstarief (the history is dropped first: the check needs only its AT view).
  const std::vector<AtAllocation> at = take_at_allocations(snap);
  res.at = check_abonnementstarief(at, snap.geboortedatum, opt.billing ? &*opt.billing : nullptr,
                                   opt.year, opt.month, opt.policy);
  res.refund_clients = refund_clients(res.at, at, opt.billing ? &*opt.billing : nullptr);
  res.warnings = std::move(snap.warnings);
  return res;
}

}  // namespace

Result run(const std::filesystem::path& db, const Options& opt) {
  // Another run answering some of this month's declarations while this one judged them is rare
  // (two reconciles started at once); each attempt after it finds more of them answered.
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    try {
      return run_once(db, opt);
    } catch (const AnsweredMeanwhile&) {
      if (attempt == kAttempts)
        throw RuntimeError(fmt::format(
            "reconcile: another reconcile of this ledger kept answering the same declarations "
            "({} attempts); nothing was recorded by this run, run it again when the other has "
            "finished",
            kAttempts));
    }
  }
}

void for_each_finding(const Result& r, const std::function<void(const json&)>& emit) {
  struct Out {
    const std::function<void(const json&)>& f;
    void push_back(const json& j) { f(j); }
  } out{emit};
  for (const auto& dr : r.declarations) {
    const Declaration& d = dr.declaration;
    const Judgement& j = dr.judgement;
    std::size_t n_rej = 0;
    for (std::size_t i = 0; i < dr.lines.size(); ++i)
      if (!j.lines[i].approved) ++n_rej;
    const std::int64_t toegekend = j.rejected_whole() ? 0 : j.toegekend;
    out.push_back(json{{"kind", "declaratie"},
                       {"agb", d.agb},
                       {"gemeente", d.gemeente},
                       {"declaratie", d.nummer},
                       {"periode", d.periode_begin.to_string().substr(0, 7)},
                       {"retourcodes", j.answer_codes()},
                       {"ingediend", d.signed_totaal()},
                       {"toegekend", toegekend},
                       {"prestaties", dr.lines.size()},
                       {"rejected", n_rej},
                       {"path_325", dr.route_325}});
    for (const auto& h : j.declaratie_hits)
      out.push_back(json{{"kind", "prestatie"}, {"agb", d.agb}, {"declaratie", d.nummer},
                         {"referentie", nullptr}, {"bsn", nullptr}, {"rule", h.rule},
                         {"retourcode", h.code}, {"level", "declaratie"},
                         {"explanation", explain::retourcode_key(h.code)}});
    for (const auto& [bsn, hits] : j.client_hits)
      for (const auto& h : hits)
        out.push_back(json{{"kind", "prestatie"}, {"agb", d.agb}, {"declaratie", d.nummer},
                           {"referentie", nullptr}, {"bsn", bsn}, {"rule", h.rule},
                           {"retourcode", h.code}, {"level", "client"},
                           {"explanation", explain::retourcode_key(h.code)}});
    for (std::size_t i = 0; i < dr.lines.size(); ++i) {
      const Line& l = dr.lines[i];
      const auto& o = j.lines[i];
      if (!j.rejected_whole()) {
        if (o.not_assessed)
          out.push_back(json{{"kind", "prestatie"}, {"agb", d.agb}, {"declaratie", d.nummer},
                             {"referentie", l.referentie}, {"bsn", l.bsn}, {"rule", "TR304"},
                             {"retourcode", "0233"}, {"level", "prestatie"},
                             {"bedrag", l.signed_bedrag()},
                             {"explanation", explain::retourcode_key("0233")}});
        for (const auto& h : o.hits)
          out.push_back(json{{"kind", "prestatie"}, {"agb", d.agb}, {"declaratie", d.nummer},
                             {"referentie", l.referentie}, {"bsn", l.bsn}, {"rule", h.rule},
                             {"retourcode", h.code}, {"level", "prestatie"},
                             {"bedrag", l.signed_bedrag()},
                             {"explanation", explain::retourcode_key(h.code)}});
      }
      for (const auto& s : o.signals)
        out.push_back(json{{"kind", "signal"}, {"agb", d.agb}, {"declaratie", d.nummer},
                           {"referentie", l.referentie}, {"bsn", l.bsn}, {"signal", s.name},
                           {"bedrag", l.signed_bedrag()}, {"evidence", s.evidence},
                           {"explanation", explain::signal_key(s.name)}});
    }
  }
  for (const auto& f : r.at.findings) {
    json x{{"kind", "abonnementstarief"}, {"bsn", f.bsn},       {"household", f.household},
           {"month", f.month},           {"reason", f.reason}, {"refund", f.refund},
           {"amount", f.amount},         {"evidence", f.evidence}};
    x["expected_amount"] = f.expected_amount ? json(*f.expected_amount) : json(nullptr);
    if (!f.date.empty()) x["date"] = f.date;
    x["detail"] = f.detail;
    x["explanation"] = explain::at_key(f.reason);
    out.push_back(x);
  }
}

std::vector<json> findings_json(const Result& r) {
  std::vector<json> v;
  for_each_finding(r, [&](const json& j) { v.push_back(j); });
  return v;
}

std::string findings_jsonl(const Result& r) {
  std::string s;
  for_each_finding(r, [&](const json& j) { s += j.dump() + "\n"; });
  return s;
}

namespace {

// The output CSVs are for Dutch spreadsheets: `;` between fields, amounts in euros with a decimal
// comma ("21,00"), lists inside a field separated by ", ".
constexpr const char* kFindingsCsvHeader =
    "kind;agb;declaratie;referentie;bsn;household;month;rule;retourcode;signal;reason;amount;"
    "evidence;detail\n";
constexpr const char* kAtCsvHeader =
    "household;bsn;month;reason;refund;amount;expected_amount;date;evidence;detail\n";

/// One line of findings.csv (with its newline) for a findings object.
void append_csv_row(std::string& s, const json& j) {
  auto str = [](const json& o, const char* k) -> std::string {
    if (!o.contains(k) || o[k].is_null()) return "";
    if (o[k].is_string()) return o[k].get<std::string>();
    if (o[k].is_array()) {
      std::vector<std::string> v;
      for (const auto& e : o[k]) v.push_back(e.is_string() ? e.get<std::string>() : e.dump());
      return join(v, ", ");
    }
    return o[k].dump();
  };
  auto money = [](const json& o, const char* k) -> std::string {
    if (!o.contains(k) || !o[k].is_number_integer()) return "";
    return util::format_euros(o[k].get<std::int64_t>());
  };
  const std::string kind = j["kind"];
  std::string amount = kind == "abonnementstarief" ? money(j, "amount") : money(j, "bedrag");
  if (kind == "declaratie") amount = money(j, "ingediend");
  const std::string f[] = {kind,
                           str(j, "agb"),
                           str(j, "declaratie"),
                           str(j, "referentie"),
                           str(j, "bsn"),
                           str(j, "household"),
                           kind == "declaratie" ? str(j, "periode") : str(j, "month"),
                           str(j, "rule"),
                           kind == "declaratie" ? str(j, "retourcodes") : str(j, "retourcode"),
                           str(j, "signal"),
                           str(j, "reason"),
                           amount,
                           str(j, "evidence"),
                           kind == "declaratie" ? str(j, "path_325") : str(j, "detail")};
  for (std::size_t i = 0; i < std::size(f); ++i) {
    if (i) s += ';';
    s += csv::field(f[i]);
  }
  s += '\n';
}

/// One line of abonnementstarief.csv (with its newline).
void append_at_row(std::string& s, const AtFinding& f) {
  const std::string v[] = {f.household,
                           f.bsn,
                           f.month,
                           f.reason,
                           f.refund ? "yes" : "no",
                           util::format_euros(f.amount),
                           f.expected_amount ? util::format_euros(*f.expected_amount) : "",
                           f.date,
                           join(f.evidence, ", "),
                           f.detail};
  for (std::size_t i = 0; i < std::size(v); ++i) {
    if (i) s += ';';
    s += csv::field(v[i]);
  }
  s += '\n';
}

}  // namespace

void write_findings_jsonl(const Result& r, const std::function<void(std::string_view)>& out) {
  std::string line;
  for_each_finding(r, [&](const json& j) {
    line = j.dump();
    line += '\n';
    out(line);
  });
}

std::string findings_csv(const Result& r) {
  std::string s = kFindingsCsvHeader;
  for_each_finding(r, [&](const json& j) { append_csv_row(s, j); });
  return s;
}

std::string abonnementstarief_csv(const Result& r) {
  std::string s = kAtCsvHeader;
  for (const auto& f : r.at.findings) append_at_row(s, f);
  return s;
}

json summary(const Result& r) {
  json s;
  s["month"] = fmt::format("{:04d}-{:02d}", r.year, r.month);
  std::int64_t n_lines = 0, n_rej = 0, ingediend = 0, toegekend = 0;
  json by_code = json::object(), by_signal = json::object(), by_provider = json::object();
  json by_standard = json::object();
  auto bump = [](json& o, const std::string& k, std::int64_t amount) {
    if (!o.contains(k)) o[k] = json{{"count", 0}, {"amount", 0}};
    o[k]["count"] = o[k]["count"].get<std::int64_t>() + 1;
    o[k]["amount"] = o[k]["amount"].get<std::int64_t>() + amount;
  };
  for (const auto& dr : r.declarations) {
    const auto& d = dr.declaration;
    const auto& j = dr.judgement;
    auto& p = by_provider[d.agb];
    if (p.is_null())
      p = json{{"declarations", 0}, {"prestaties", 0}, {"rejected", 0}, {"ingediend", 0},
               {"toegekend", 0}, {"signals", 0}};
    p["declarations"] = p["declarations"].get<std::int64_t>() + 1;
    auto& st = by_standard[std::string(model::standard_key(dr.standard))];
    if (st.is_null())
      st = json{{"declarations", 0}, {"prestaties", 0}, {"rejected", 0}, {"ingediend", 0},
                {"toegekend", 0}};
    st["declarations"] = st["declarations"].get<std::int64_t>() + 1;
    ingediend += d.signed_totaal();
    const std::int64_t tk = j.rejected_whole() ? 0 : j.toegekend;
    st["ingediend"] = st["ingediend"].get<std::int64_t>() + d.signed_totaal();
    st["toegekend"] = st["toegekend"].get<std::int64_t>() + tk;
    toegekend += tk;
    p["ingediend"] = p["ingediend"].get<std::int64_t>() + d.signed_totaal();
    p["toegekend"] = p["toegekend"].get<std::int64_t>() + tk;
    for (const auto& code : j.answer_codes())
      if (code != "8001" && code != "0200") bump(by_code, code, d.signed_totaal());
    for (const auto& [bsn, hits] : j.client_hits)
      for (const auto& h : hits) bump(by_code, h.code, 0);
    for (std::size_t i = 0; i < dr.lines.size(); ++i) {
      const auto& l = dr.lines[i];
      const auto& o = j.lines[i];
      ++n_lines;
      p["prestaties"] = p["prestaties"].get<std::int64_t>() + 1;
      st["prestaties"] = st["prestaties"].get<std::int64_t>() + 1;
      if (!o.approved) {
        ++n_rej;
        p["rejected"] = p["rejected"].get<std::int64_t>() + 1;
        st["rejected"] = st["rejected"].get<std::int64_t>() + 1;
        if (!j.rejected_whole())
          for (const auto& c : o.codes()) bump(by_code, c, l.signed_bedrag());
      }
      for (const auto& sg : o.signals) {
        bump(by_signal, sg.name, l.signed_bedrag());
        p["signals"] = p["signals"].get<std::int64_t>() + 1;
      }
    }
  }
  s["declarations"] = r.declarations.size();
  s["prestaties"] = json{{"total", n_lines}, {"approved", n_lines - n_rej}, {"rejected", n_rej}};
  s["ingediend"] = ingediend;
  s["toegekend"] = toegekend;
  s["by_retourcode"] = by_code;
  s["by_signal"] = by_signal;
  s["by_provider"] = by_provider;
  s["by_standard"] = by_standard;
  json at = json::object();
  std::int64_t refunds = 0, refund_count = 0;
  for (const auto& f : r.at.findings) {
    bump(at, f.reason, f.amount);
    if (f.refund) {
      refunds += f.amount;
      ++refund_count;
    }
  }
  // The abonnementstarief is a Wmo matter: the check never reads Jeugd data.
  s["abonnementstarief"] = json{{"billing", r.with_billing}, {"by_reason", at},
                                {"refund_count", refund_count}, {"refund_total", refunds},
                                {"scope", "wmo"}};
  json pol{{"trigger", std::string(to_string(r.policy.trigger))},
           {"pause_suspends", r.policy.pause_suspends},
           {"start_month_billed", r.policy.start_month_billed},
           {"minors_exempt", r.policy.minors_exempt},
           {"einddatum_inclusive", r.policy.einddatum_inclusive},
           {"tr318_delivery_evidence", r.policy.tr318_delivery_evidence}};
  s["policy"] = pol;
  json dev = json::array();
  if (r.policy.reject_before_start)
    dev.push_back(fmt::format("reject_before_start = {}: claims without a start are rejected "
                              "locally; this deviates from OP364",
                              *r.policy.reject_before_start));
  if (r.policy.reject_in_pause)
    dev.push_back(fmt::format("reject_in_pause = {}: claims in a full pause are rejected "
                              "locally; this deviates from OP364",
                              *r.policy.reject_in_pause));
  s["deviations"] = dev;
  s["warnings"] = r.warnings;
  json wl = json::object();
  for (const auto& it : r.worklist.items)
    wl[it.kind] = wl.contains(it.kind) ? wl[it.kind].get<std::int64_t>() + 1 : 1;
  s["worklist"] = json{{"today", r.worklist.today.to_string()},
                       {"open", r.worklist.items.size()},
                       {"by_kind", wl}};
  return s;
}

std::string summary_text(const Result& r, const std::filesystem::path& out_dir) {
  const json s = summary(r);
  std::string t = fmt::format(
      "reconcile {}: {} declarations, {} prestaties ({} approved, {} rejected)\n",
      s["month"].get<std::string>(), r.declarations.size(),
      s["prestaties"]["total"].get<std::int64_t>(), s["prestaties"]["approved"].get<std::int64_t>(),
      s["prestaties"]["rejected"].get<std::int64_t>());
  t += fmt::format("  ingediend EUR {}, toegekend EUR {}\n", euros(s["ingediend"].get<std::int64_t>()),
                   euros(s["toegekend"].get<std::int64_t>()));
  const bool jeugd = s["by_standard"].contains("jw");
  if (jeugd)  // a month with Jeugd claims: say per standard what was judged
    for (const char* key : {"wmo", "jw"}) {
      if (!s["by_standard"].contains(key)) continue;
      const json& v = s["by_standard"][key];
      t += fmt::format("  {}: {} declaration{}, {} prestaties ({} rejected), ingediend EUR {}, "
                       "toegekend EUR {}\n",
                       model::standard_name(*model::standard_from_key(key)),
                       v["declarations"].get<std::int64_t>(),
                       v["declarations"].get<std::int64_t>() == 1 ? "" : "s",
                       v["prestaties"].get<std::int64_t>(), v["rejected"].get<std::int64_t>(),
                       euros(v["ingediend"].get<std::int64_t>()),
                       euros(v["toegekend"].get<std::int64_t>()));
    }
  for (const auto& [code, v] : s["by_retourcode"].items())
    t += fmt::format("  retourcode {} ({}): {} x, EUR {} - {}\n", code, rule_of(code),
                     v["count"].get<std::int64_t>(), euros(v["amount"].get<std::int64_t>()),
                     explain::title_or_key(explain::retourcode_key(code), explain::Lang::en));
  for (const auto& [name, v] : s["by_signal"].items())
    t += fmt::format("  signal {}: {} x, EUR {} claimed - {}\n", name,
                     v["count"].get<std::int64_t>(), euros(v["amount"].get<std::int64_t>()),
                     explain::title_or_key(explain::signal_key(name), explain::Lang::en));
  for (const auto& [reason, v] : s["abonnementstarief"]["by_reason"].items())
    t += fmt::format("  abonnementstarief {}: {} x, EUR {} - {}\n", reason,
                     v["count"].get<std::int64_t>(), euros(v["amount"].get<std::int64_t>()),
                     explain::title_or_key(explain::at_key(reason), explain::Lang::en));
  if (r.with_billing)
    t += fmt::format("  abonnementstarief refunds: EUR {}{}\n",
                     euros(s["abonnementstarief"]["refund_total"].get<std::int64_t>()),
                     jeugd ? " (Wmo only: the Jeugdwet has no abonnementstarief)" : "");
  for (const auto& d : s["deviations"]) t += "  note: " + d.get<std::string>() + "\n";
  for (const auto& w : r.warnings) t += "  note: " + w + "\n";
  {
    std::string kinds;
    for (const auto& [kind, n] : s["worklist"]["by_kind"].items())
      kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", kind, n.get<std::int64_t>());
    t += fmt::format("  worklist on {}: {} overdue item{}{} (istd worklist lists them)\n",
                     r.worklist.today.to_string(), r.worklist.items.size(),
                     r.worklist.items.size() == 1 ? "" : "s",
                     kinds.empty() ? std::string() : " (" + kinds + ")");
  }
  if (!out_dir.empty())
    t += fmt::format("  written to {}: report.html (open it in a browser), findings.jsonl, "
                     "findings.csv, abonnementstarief.csv, summary.json, 325/ ({} files)\n",
                     out_dir.string(), r.declarations.size());
  return t;
}

void write_outputs(const Result& r, const std::filesystem::path& out) {
  for (const auto& dr : r.declarations)
    if (!dr.route_325.empty()) output::write_file_atomic(out / dr.route_325, dr.bytes_325);
  // The findings are streamed into the temporary files (one pass renders both); each file
  // appears complete or not at all.
  {
    output::AtomicFileWriter jsonl(out / "findings.jsonl");
    output::AtomicFileWriter csv(out / "findings.csv");
    csv.write(kFindingsCsvHeader);
    std::string line;
    for_each_finding(r, [&](const json& j) {
      line = j.dump();
      line += '\n';
      jsonl.write(line);
      line.clear();
      append_csv_row(line, j);
      csv.write(line);
    });
    jsonl.commit();
    csv.commit();
  }
  {
    output::AtomicFileWriter at(out / "abonnementstarief.csv");
    at.write(kAtCsvHeader);
    std::string line;
    for (const auto& f : r.at.findings) {
      line.clear();
      append_at_row(line, f);
      at.write(line);
    }
    at.commit();
  }
  output::write_file_atomic(out / "summary.json", summary(r).dump(2) + "\n");
}

}  // namespace istd::reconcile
