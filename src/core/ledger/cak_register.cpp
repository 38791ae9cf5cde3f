// The ledger's memory of the start/stop list sent to the CAK (design in ledger.hpp: tables
// cak_exports, cak_lines, cak_episodes).
#include <algorithm>
#include <string>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/ledger/ledger_impl.hpp"

namespace istd::ledger {

namespace {

// Evidence names ("WMO305:<Identificatie>") may hold spaces (LDT_IdentificatieBericht allows
// them) but never a line break (its pattern's `.` excludes it): one name per line.
std::string join_lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "\n") + x;
  return s;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t p = 0;
  while (p < s.size()) {
    const std::size_t q = std::min(s.find('\n', p), s.size());
    out.push_back(s.substr(p, q - p));
    p = q + 1;
  }
  return out;
}

}  // namespace

std::vector<CakEpisodeRecord> Ledger::cak_episodes() const {
  std::vector<CakEpisodeRecord> out;
  auto s = impl_->prepare(
      "SELECT eb_start_nummer, gemeente, bsn, startdatum, stopdatum, withdrawn, first_export "
      "FROM cak_episodes ORDER BY eb_start_nummer");
  while (s.step()) {
    CakEpisodeRecord e;
    e.eb_start_nummer = s.i64(0);
    e.gemeente = s.text(1);
    e.bsn = s.text(2);
    e.startdatum = s.text(3);
    e.stopdatum = s.opt_text(4);
    e.withdrawn = s.i64(5) != 0;
    e.first_export = s.i64(6);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<CakExportRecord> Ledger::cak_exports() const {
  std::vector<CakExportRecord> out;
  auto s = impl_->prepare(
      "SELECT number, made_on, made_at, line_count FROM cak_exports ORDER BY number");
  while (s.step()) out.push_back({s.i64(0), s.text(1), s.text(2), s.i64(3)});
  return out;
}

std::vector<CakLineRecord> Ledger::cak_lines(std::int64_t number) const {
  std::vector<CakLineRecord> out;
  auto s = impl_->prepare(
      "SELECT seq, gemeente, bsn, eb_start_nummer, kind, datum, previous, status, reason, "
      "toelichting, evidence FROM cak_lines WHERE export_number = ? ORDER BY seq");
  s.bind(1, number);
  while (s.step()) {
    CakLineRecord l;
    l.seq = static_cast<int>(s.i64(0));
    l.gemeente = s.text(1);
    l.bsn = s.text(2);
    l.eb_start_nummer = s.i64(3);
    l.kind = s.text(4);
    l.datum = s.text(5);
    l.previous = s.opt_text(6);
    l.status = static_cast<int>(s.i64(7));
    l.reason = s.text(8);
    l.toelichting = s.text(9);
    l.evidence = split_lines(s.text(10));
    out.push_back(std::move(l));
  }
  return out;
}

void Ledger::record_cak_export(CakExportRecord& e, const std::vector<CakLineRecord>& lines,
                               const std::vector<CakEpisodeRecord>& episodes) {
  Transaction tx(*this);
  std::int64_t last = 0;
  {
    auto s = impl_->prepare("SELECT coalesce(max(number), 0) FROM cak_exports");
    if (s.step()) last = s.i64(0);
  }
  if (e.number != last + 1)
    throw ConfigError(fmt::format(
        "CAK export {} was already recorded by another run at the same time (the last export "
        "is {}); nothing was recorded by this run: run istd cak again",
        e.number, last));
  e.made_at = now_utc();
  e.line_count = static_cast<std::int64_t>(lines.size());
  impl_->prepare("INSERT INTO cak_exports(number, made_on, made_at, line_count) VALUES (?,?,?,?)")
      .bind_all(e.number, e.made_on, e.made_at, e.line_count)
      .exec();
  for (const auto& l : lines)
    impl_
        ->prepare(
            "INSERT INTO cak_lines(export_number, seq, gemeente, bsn, eb_start_nummer, kind, "
            "datum, previous, status, reason, toelichting, evidence) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
        .bind_all(e.number, l.seq, l.gemeente, l.bsn, l.eb_start_nummer, l.kind, l.datum,
                  l.previous, l.status, l.reason, l.toelichting, join_lines(l.evidence))
        .exec();
  for (const auto& x : episodes)
    impl_
        ->prepare(
            "INSERT INTO cak_episodes(eb_start_nummer, gemeente, bsn, startdatum, stopdatum, "
            "withdrawn, first_export) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(eb_start_nummer) DO UPDATE SET gemeente = excluded.gemeente, "
            "bsn = excluded.bsn, startdatum = excluded.startdatum, "
            "stopdatum = excluded.stopdatum, withdrawn = excluded.withdrawn, "
            "first_export = excluded.first_export")
        .bind_all(x.eb_start_nummer, x.gemeente, x.bsn, x.startdatum, x.stopdatum,
                  x.withdrawn ? 1 : 0, x.first_export == 0 ? e.number : x.first_export)
        .exec();
  tx.commit();
}

}  // namespace istd::ledger
