#include "core/reconcile/ledger_queries.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/ledger/ledger.hpp"

namespace istd::reconcile {

using model::Date;

namespace {

class Db {
 public:
  explicit Db(const std::filesystem::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw RuntimeError(fmt::format("{}: cannot open the ledger: {}", file.string(), msg));
    }
    sqlite3_busy_timeout(db_, 10000);
    file_ = file.string();
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  class Query {
   public:
    Query(Db& db, const char* sql) : db_(db) {
      if (sqlite3_prepare_v2(db.db_, sql, -1, &s_, nullptr) != SQLITE_OK)
        throw RuntimeError(
            fmt::format("{}: ledger query failed: {}", db.file_, sqlite3_errmsg(db.db_)));
    }
    ~Query() { sqlite3_finalize(s_); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    Query& bind(int i, std::string_view v) {
      sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
      return *this;
    }
    bool step() {
      const int rc = sqlite3_step(s_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      throw RuntimeError(
          fmt::format("{}: ledger query failed: {}", db_.file_, sqlite3_errmsg(db_.db_)));
    }
    bool null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
    std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
    std::string text(int c) const {
      const auto* p = sqlite3_column_text(s_, c);
      return p ? std::string(reinterpret_cast<const char*>(p),
                             static_cast<std::size_t>(sqlite3_column_bytes(s_, c)))
               : std::string();
    }
    std::string_view blob(int c) const {
      const void* p = sqlite3_column_blob(s_, c);
      return p ? std::string_view(static_cast<const char*>(p),
                                  static_cast<std::size_t>(sqlite3_column_bytes(s_, c)))
               : std::string_view();
    }
    std::optional<std::string> opt_text(int c) const {
      if (null(c)) return std::nullopt;
      return text(c);
    }
    std::optional<std::int64_t> opt_i64(int c) const {
      if (null(c)) return std::nullopt;
      return i64(c);
    }

   private:
    Db& db_;
    sqlite3_stmt* s_ = nullptr;
  };

 private:
  sqlite3* db_ = nullptr;
  std::string file_;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

Date date_or_zero(const std::string& s) { return model::parse_date(s).value_or(Date{}); }

Declaration read_declaration(Db::Query& q) {
  Declaration d;
  d.id = q.i64(0);
  d.message_id = q.i64(1);
  d.agb = q.text(2);
  d.gemeente = q.text(3);
  d.nummer = q.text(4);
  d.periode_begin = date_or_zero(q.text(5));
  d.periode_eind = date_or_zero(q.text(6));
  d.dagtekening_declaratie = q.text(7);
  d.totaal_bedrag = q.i64(8);
  d.totaal_dc = q.text(9);
  d.identificatie = q.text(10);
  d.dagtekening = q.text(11);
  d.xsd_basis = q.text(12);
  d.xsd_bericht = q.text(13);
  d.intake_codes = split(q.text(14));
  d.answered = q.text(15) == "answered";
  d.retourcodes = split(q.text(16));
  d.answer_message_id = q.opt_i64(17);
  return d;
}

Line read_line(Db::Query& q) {
  Line l;
  l.id = q.i64(0);
  l.declaration_id = q.i64(1);
  l.position = static_cast<int>(q.i64(2));
  l.agb = q.text(3);
  l.gemeente = q.text(4);
  l.bsn = q.text(5);
  l.referentie = q.text(6);
  l.vorig = q.opt_text(7);
  l.nummer = q.i64(8);
  l.categorie = q.text(9);
  l.code = q.text(10);
  // The ProductPeriode texts are kept only when the dates do not render them (memory).
  l.begin_text = q.text(11);
  l.eind_text = q.text(12);
  l.begin = date_or_zero(l.begin_text);
  l.eind = date_or_zero(l.eind_text);
  if (l.begin.to_string() == l.begin_text) std::string().swap(l.begin_text);
  if (l.eind.to_string() == l.eind_text) std::string().swap(l.eind_text);
  l.volume = q.i64(13);
  l.eenheid = q.text(14);
  l.tarief = q.opt_i64(15);
  l.bedrag = q.i64(16);
  l.credit = q.text(17) == "C";
  const std::string v = q.text(18);
  l.verdict = v == "approved"   ? LineVerdict::approved
              : v == "rejected" ? LineVerdict::rejected
                                : LineVerdict::pending;
  l.codes = split(q.text(19));
  l.credited_by = q.opt_i64(20);
  return l;
}

constexpr const char* kDeclCols =
    "id, message_id, agb, gemeente, declaratie_nummer, periode_begin, periode_eind, "
    "declaratie_dagtekening, totaal_bedrag, totaal_dc, identificatie, dagtekening, xsd_basis, "
    "xsd_bericht, intake_codes, status, retourcodes, answer_message_id";
constexpr const char* kLineCols =
    "p.id, p.declaration_id, p.position, p.agb, p.gemeente, p.bsn, p.referentie_nummer, "
    "p.vorig_referentie_nummer, p.toewijzing_nummer, p.product_categorie, p.product_code, "
    "p.periode_begin, p.periode_eind, p.geleverd_volume, p.eenheid, p.product_tarief, p.bedrag, "
    "p.debet_credit, p.verdict, p.retourcodes, p.credited_by";

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
  if (!std::filesystem::exists(file))
    throw ConfigError(fmt::format("{}: no such ledger", file.string()));
  LedgerSnapshot s;
  Db db(file);
  {
    // Versions 1 to 3 have the same tables and columns this reads (2 changed indexes, 3 added
    // message_bytes.encoding); read any of them as is.
    Db::Query q(db, "SELECT version FROM schema_version");
    const std::int64_t v = q.step() ? q.i64(0) : 0;
    if (v < 1 || v > ledger::kSchemaVersion)
      throw ConfigError(fmt::format(
          "{}: ledger schema version {} (this istd reads versions 1 to {}{})", file.string(), v,
          ledger::kSchemaVersion, v > ledger::kSchemaVersion ? "; use a newer istd" : ""));
  }
  {
    Db::Query q(db, "SELECT COALESCE(MAX(id), 0) FROM messages");
    if (q.step()) s.max_message_id = q.i64(0);
  }
  // Evidence names of the functional messages.
  std::unordered_map<std::int64_t, std::string> ev;
  {
    Db::Query q(db,
                "SELECT id, type, identificatie FROM messages WHERE role = 'input' AND type IN "
                "('WMO301', 'WMO305', 'WMO307')");
    while (q.step()) ev[q.i64(0)] = q.text(1) + ":" + q.text(2);
  }
  // The 301s sent by the municipality are its own messages (role input at the gemeente, since
  // istd ingest records own 301s as inputs); any other role falls back to the ledger id.
  auto evidence = [&](std::int64_t id) {
    auto it = ev.find(id);
    return it != ev.end() ? it->second : fmt::format("message:{}", id);
  };

  // Allocations: the current version = the latest (datum, tijd).
  std::map<std::int64_t, std::string> birth_msgs;  // 301 message id -> bsn
  {
    Db::Query q(db,
                "SELECT message_id, gemeente, toewijzing_nummer, bsn, agb, categorie, code, "
                "ingangsdatum, einddatum, reden_wijziging, volume, eenheid, frequentie, budget "
                "FROM allocation_versions ORDER BY gemeente, toewijzing_nummer, toewijzingsdatum, "
                "toewijzingstijd");
    while (q.step()) {
      Allocation a;
      const std::int64_t mid = q.i64(0);
      a.gemeente = q.text(1);
      a.nummer = q.i64(2);
      a.bsn = q.text(3);
      a.agb = q.text(4);
      a.categorie = q.opt_text(5);
      a.code = q.opt_text(6);
      const std::string ing = q.text(7);
      a.ingangsdatum = date_or_zero(ing);
      auto eind = q.opt_text(8);
      if (eind) a.einddatum = model::parse_date(*eind);
      auto reden = q.opt_text(9);
      a.deleted = model::allocation_deleted(reden, ing, eind);
      a.volume = q.opt_i64(10);
      a.eenheid = q.opt_text(11).value_or("");
      a.frequentie = q.opt_text(12).value_or("");
      a.budget = q.opt_i64(13);
      a.evidence = evidence(mid);
      birth_msgs[mid] = a.bsn;
      s.history.add_allocation(std::move(a));
    }
  }
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
  {
    Db::Query q(db,
                "SELECT agb, gemeente, bsn, toewijzing_nummer, begindatum, inserted_by, "
                "deleted_by FROM starts WHERE toewijzing_nummer IS NOT NULL");
    while (q.step()) {
      Key k{q.text(1), q.i64(3)};
      const Allocation* a = s.history.allocation(k.gemeente, k.nummer);
      if (!a || a->agb != q.text(0) || a->bsn != q.text(2)) continue;
      auto b = model::parse_date(q.text(4));
      if (!b) continue;
      if (q.null(6)) starts[k].push_back({*b, evidence(q.i64(5))});
      else
        s.deletions[{k.gemeente, k.nummer}].emplace_back(*b, evidence(q.i64(6)));
    }
  }
  {
    Db::Query q(db,
                "SELECT agb, gemeente, bsn, toewijzing_nummer, begindatum, reden_beeindiging, "
                "einddatum, inserted_by, deleted_by FROM stops WHERE toewijzing_nummer IS NOT "
                "NULL");
    while (q.step()) {
      Key k{q.text(1), q.i64(3)};
      const Allocation* a = s.history.allocation(k.gemeente, k.nummer);
      if (!a || a->agb != q.text(0) || a->bsn != q.text(2)) continue;
      auto b = model::parse_date(q.text(4));
      auto e = model::parse_date(q.text(6));
      if (!b || !e) continue;
      if (q.null(8)) stops[k].push_back({*b, q.text(5), *e, evidence(q.i64(7))});
      else
        s.deletions[{k.gemeente, k.nummer}].emplace_back(*b, evidence(q.i64(8)));
    }
  }
  for (const auto& a : s.history.allocations()) {
    delivery::Allocation da{a.ingangsdatum, a.einddatum, a.deleted};
    Key k{a.gemeente, a.nummer};
    auto r = delivery::compute(da, starts[k], stops[k], opt.delivery);
    s.history.set_intervals(a.gemeente, a.nummer, std::move(r.intervals));
  }

  // Declarations: processed ones (answered, not rejected as a whole) form the history; those of
  // the evaluation month are returned with their lines.
  const std::string month_prefix = fmt::format("{:04d}-{:02d}-", opt.year, opt.month);
  std::unordered_map<std::int64_t, std::size_t> month_index;
  std::unordered_map<std::int64_t, bool> processed;
  {
    Db::Query q(db, fmt::format("SELECT {} FROM declarations ORDER BY id", kDeclCols).c_str());
    while (q.step()) {
      Declaration d = read_declaration(q);
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
    }
  }
  {
    Db::Query q(db, fmt::format("SELECT {} FROM prestaties p ORDER BY p.id", kLineCols).c_str());
    while (q.step()) {
      const std::int64_t decl = q.i64(1);
      auto mi = month_index.find(decl);
      const bool hist = processed.count(decl) > 0;
      if (mi == month_index.end() && !hist) continue;
      Line l = read_line(q);
      if (hist && l.verdict != LineVerdict::pending) s.history.add_line(l);
      if (mi != month_index.end()) s.month_lines[mi->second].push_back(std::move(l));
    }
  }
  for (auto& lines : s.month_lines) {
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return a.position < b.position; });
    lines.shrink_to_fit();  // they are kept until the outputs are written
  }
  (void)month_prefix;
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
