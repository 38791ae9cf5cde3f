#include "core/reconcile/snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/ledger/ledger.hpp"
#include "core/ledger/reader.hpp"

namespace istd::reconcile {

using model::Date;

namespace {

Date date_or_zero(const std::string& s) { return model::parse_date(s).value_or(Date{}); }

Declaration to_declaration(ledger::DeclarationRecord&& r) {
  Declaration d;
  d.id = r.id;
  d.message_id = r.message_id;
  d.agb = std::move(r.agb);
  d.gemeente = std::move(r.gemeente);
  d.nummer = std::move(r.declaratie_nummer);
  d.periode_begin = date_or_zero(r.periode_begin);
  d.periode_eind = date_or_zero(r.periode_eind);
  d.dagtekening_declaratie = std::move(r.declaratie_dagtekening);
  d.totaal_bedrag = r.totaal_bedrag;
  d.totaal_dc = std::move(r.totaal_dc);
  d.identificatie = std::move(r.identificatie);
  d.dagtekening = std::move(r.dagtekening);
  d.xsd_basis = std::move(r.xsd_basis);
  d.xsd_bericht = std::move(r.xsd_bericht);
  d.intake_codes = std::move(r.intake_codes);
  d.answered = r.status == ledger::DeclarationStatus::answered;
  d.retourcodes = std::move(r.retourcodes);
  d.answer_message_id = r.answer_message_id;
  return d;
}

Line to_line(ledger::PrestatieRecord&& p) {
  Line l;
  l.id = p.id;
  l.declaration_id = p.declaration_id;
  l.position = p.position;
  l.agb = std::move(p.agb);
  l.gemeente = std::move(p.gemeente);
  l.bsn = std::move(p.bsn);
  l.referentie = std::move(p.referentie_nummer);
  l.vorig = std::move(p.vorig_referentie_nummer);
  l.nummer = p.toewijzing_nummer;
  l.categorie = std::move(p.product_categorie);
  l.code = std::move(p.product_code);
  // The ProductPeriode texts are kept only when the dates do not render them (memory).
  l.begin_text = std::move(p.periode_begin);
  l.eind_text = std::move(p.periode_eind);
  l.begin = date_or_zero(l.begin_text);
  l.eind = date_or_zero(l.eind_text);
  if (l.begin.to_string() == l.begin_text) std::string().swap(l.begin_text);
  if (l.eind.to_string() == l.eind_text) std::string().swap(l.eind_text);
  l.volume = p.geleverd_volume;
  l.eenheid = std::move(p.eenheid);
  l.tarief = p.product_tarief;
  l.bedrag = p.bedrag;
  l.credit = p.credit();
  l.verdict = p.verdict == ledger::PrestatieVerdict::approved   ? LineVerdict::approved
              : p.verdict == ledger::PrestatieVerdict::rejected ? LineVerdict::rejected
                                                                : LineVerdict::pending;
  l.codes = std::move(p.retourcodes);
  l.credited_by = p.credited_by;
  return l;
}

bool whole_rejection(const Declaration& d) {
  if (!d.intake_codes.empty()) return true;
  for (const auto& c : d.retourcodes)
    if (c == "9333" || c == "8214" || c == "0001" || c == "9056" || c == "8848") return true;
  return false;
}

}  // namespace

std::string geboortedatum_of_301(std::string_view bytes) {
  const auto g = bytes.find("Geboortedatum>");
  if (g == std::string_view::npos) return {};
  const auto d = bytes.find("Datum>", g + 14);
  if (d == std::string_view::npos || d + 16 > bytes.size()) return {};
  return std::string(bytes.substr(d + 6, 10));
}

LedgerSnapshot load_snapshot(const std::filesystem::path& file, const LoadOptions& opt) {
  ledger::Reader db(file);  // refuses a missing file and unreadable schema versions
  db.set_standard(opt.standard);
  LedgerSnapshot s;
  s.max_message_id = db.max_message_id();
  // Evidence names of the functional messages.
  std::unordered_map<std::int64_t, std::string> ev;
  for (const auto& m : db.functional_inputs()) ev[m.id] = m.type + ":" + m.identificatie;
  // The 301s sent by the municipality are its own messages (role input at the gemeente, since
  // istd ingest records own 301s as inputs); any other role falls back to the ledger id.
  auto evidence = [&](std::int64_t id) {
    auto it = ev.find(id);
    return it != ev.end() ? it->second : fmt::format("message:{}", id);
  };

  // Allocations: the current version = the latest (datum, tijd), the last one read.
  std::map<std::int64_t, std::string> birth_msgs;  // 301 message id -> bsn
  db.for_each_allocation_version([&](ledger::AllocationVersion&& v) {
    Allocation a;
    a.deleted = v.deleted();
    a.gemeente = std::move(v.gemeente);
    a.nummer = v.toewijzing_nummer;
    a.bsn = std::move(v.bsn);
    a.agb = std::move(v.agb);
    a.categorie = std::move(v.categorie);
    a.code = std::move(v.code);
    a.ingangsdatum = date_or_zero(v.ingangsdatum);
    if (v.einddatum) a.einddatum = model::parse_date(*v.einddatum);
    a.volume = v.volume;
    a.eenheid = std::move(v.eenheid).value_or("");
    a.frequentie = std::move(v.frequentie).value_or("");
    a.budget = v.budget;
    a.evidence = evidence(v.message_id);
    birth_msgs[v.message_id] = a.bsn;
    s.history.add_allocation(std::move(a));
  });
  if (opt.birthdates && !birth_msgs.empty()) {
    // Through the Ledger API: where the bytes live is the ledger's business.
    ledger::Ledger lg(file, ledger::OpenOptions{false, ledger::OpenOptions::Sync::normal});
    for (const auto& [mid, bsn] : birth_msgs) {
      if (s.geboortedatum.count(bsn)) continue;
      const auto m = lg.message(mid);
      if (auto d = model::parse_date(geboortedatum_of_301(m.bytes))) s.geboortedatum[bsn] = *d;
    }
  }

  // Starts and stops (live ones build intervals; deleted ones are evidence).
  struct Key {
    std::string gemeente;
    std::int64_t nummer;
    bool operator<(const Key& o) const {
      return std::tie(gemeente, nummer) < std::tie(o.gemeente, o.nummer);
    }
  };
  std::map<Key, std::vector<delivery::Start>> starts;
  std::map<Key, std::vector<delivery::Stop>> stops;
  db.for_each_numbered_start([&](ledger::StartRecord&& r) {
    Key k{std::move(r.gemeente), *r.toewijzing_nummer};
    const Allocation* a = s.history.allocation(k.gemeente, k.nummer);
    if (!a || a->agb != r.agb || a->bsn != r.bsn) return;
    auto b = model::parse_date(r.begindatum);
    if (!b) return;
    if (!r.deleted_by)
      starts[k].push_back({*b, evidence(r.inserted_by)});
    else
      s.deletions[{k.gemeente, k.nummer}].emplace_back(*b, evidence(*r.deleted_by));
  });
  db.for_each_numbered_stop([&](ledger::StopRecord&& r) {
    Key k{std::move(r.gemeente), *r.toewijzing_nummer};
    const Allocation* a = s.history.allocation(k.gemeente, k.nummer);
    if (!a || a->agb != r.agb || a->bsn != r.bsn) return;
    auto b = model::parse_date(r.begindatum);
    auto e = model::parse_date(r.einddatum);
    if (!b || !e) return;
    if (!r.deleted_by)
      stops[k].push_back({*b, std::move(r.reden_beeindiging), *e, evidence(r.inserted_by)});
    else
      s.deletions[{k.gemeente, k.nummer}].emplace_back(*b, evidence(*r.deleted_by));
  });
  for (const auto& a : s.history.allocations()) {
    delivery::Allocation da{a.ingangsdatum, a.einddatum, a.deleted};
    Key k{a.gemeente, a.nummer};
    auto r = delivery::compute(da, starts[k], stops[k], opt.delivery);
    s.history.set_intervals(a.gemeente, a.nummer, std::move(r.intervals));
  }

  // Declarations: processed ones (answered, not rejected as a whole) form the history; those of
  // the evaluation month are returned with their lines.
  std::unordered_map<std::int64_t, std::size_t> month_index;
  std::unordered_map<std::int64_t, bool> processed;
  db.for_each_declaration([&](ledger::DeclarationRecord&& r) {
    Declaration d = to_declaration(std::move(r));
    const bool in_month = d.periode_begin.year == opt.year && d.periode_begin.month == opt.month;
    if (d.answered && !whole_rejection(d)) {
      s.history.add_processed_declaration(d);
      processed[d.id] = true;
    }
    if (in_month) {
      month_index[d.id] = s.month_declarations.size();
      s.month_declarations.push_back(std::move(d));
      s.month_lines.emplace_back();
    }
  });
  db.for_each_prestatie(
      [&](std::int64_t decl) {
        return month_index.count(decl) > 0 || (opt.history_lines && processed.count(decl) > 0);
      },
      [&](ledger::PrestatieRecord&& p) {
        const std::int64_t decl = p.declaration_id;
        auto mi = month_index.find(decl);
        const bool hist = processed.count(decl) > 0;
        Line l = to_line(std::move(p));
        if (hist && l.verdict != LineVerdict::pending) s.history.add_line(l);
        if (mi != month_index.end()) s.month_lines[mi->second].push_back(std::move(l));
      });
  for (auto& lines : s.month_lines) {
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return a.position < b.position; });
    lines.shrink_to_fit();  // they are kept until the outputs are written
  }
  return s;
}

std::vector<AtAllocation> take_at_allocations(LedgerSnapshot& s) {
  std::vector<AtAllocation> out;
  out.reserve(s.history.allocations().size());
  for (const auto& a : s.history.allocations()) {
    AtAllocation x;
    x.bsn = a.bsn;
    x.gemeente = a.gemeente;
    x.agb = a.agb;
    x.nummer = a.nummer;
    x.categorie = a.categorie.value_or("");
    x.ingangsdatum = a.ingangsdatum;
    x.einddatum = a.einddatum;
    x.deleted = a.deleted;
    x.intervals = s.history.take_intervals(a.gemeente, a.nummer);
    x.evidence = a.evidence;
    if (auto it = s.deletions.find({a.gemeente, a.nummer}); it != s.deletions.end())
      x.deletions = std::move(it->second);
    for (const HistLine* l : s.history.on_allocation(a.agb, a.gemeente, a.nummer))
      if (!l->credit && l->verdict == LineVerdict::approved && !l->credited_by)
        x.claimed.emplace_back(l->begin, l->eind);
    out.push_back(std::move(x));
  }
  s.history = History();
  s.deletions.clear();
  return out;
}

}  // namespace istd::reconcile
