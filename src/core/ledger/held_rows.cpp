// The rows a PostgreSQL writer holds back (held_rows.hpp): the buffer, the questions reads ask
// of it, and the INSERT statements that send it.
#include "core/ledger/held_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>

#include "core/errors.hpp"

namespace istd::ledger {

namespace {

// The keys of the counts: a TR056 key, and an allocation (gemeente, ToewijzingNummer or none).
// The separator occurs in none of the values (codes, digits, identifiers of the standard).
std::string input_key(std::string_view berichtcode, std::string_view afzender,
                      std::string_view identificatie) {
  std::string k;
  k.reserve(berichtcode.size() + afzender.size() + identificatie.size() + 2);
  k.append(berichtcode).append(1, '\x1f').append(afzender).append(1, '\x1f').append(identificatie);
  return k;
}
std::string allocation_key(std::string_view gemeente, std::optional<std::int64_t> nummer) {
  std::string k(gemeente);
  k += nummer ? fmt::format("\x1f{}", *nummer) : std::string("\x1f-");
  return k;
}

}  // namespace

void HeldRows::count_in(Counts& c, std::string_view key, int delta) {
  auto it = c.find(key);
  if (it == c.end()) it = c.emplace(std::string(key), 0).first;
  if ((it->second += delta) == 0) c.erase(it);
}

void HeldRows::count(const HeldRow& r, int delta) {
  if (r.table == HeldTable::messages) {
    count_in(routes_, r.route, delta);
    if (r.input) {
      const auto it = input_hashes_.try_emplace(r.hash, 0).first;
      if ((it->second += delta) == 0) input_hashes_.erase(it);
      count_in(input_keys_, input_key(r.berichtcode, r.afzender, r.identificatie), delta);
    }
  } else {
    count_in(allocations_, allocation_key(r.gemeente, r.nummer), delta);
    count_in(bsns_, r.bsn, delta);
  }
}

void HeldRows::add(HeldRow row) {
  row.seq = next_seq_++;
  count(row, +1);
  rows_.push_back(std::move(row));
}

bool HeldRows::touch_inputs(std::int64_t hash, std::string_view berichtcode,
                            std::string_view afzender, std::string_view identificatie,
                            const std::vector<std::string>& routes) const {
  for (const auto& route : routes)
    if (routes_.contains(route)) return true;
  return input_hashes_.contains(hash) ||
         input_keys_.contains(input_key(berichtcode, afzender, identificatie));
}

bool HeldRows::touch_allocation(std::string_view gemeente, std::optional<std::int64_t> nummer,
                                const std::string_view* bsn) const {
  if (bsn && bsns_.contains(*bsn)) return true;
  return allocations_.contains(allocation_key(gemeente, nummer));
}

std::vector<HeldRow> HeldRows::take_before(std::uint64_t seq) {
  const auto end = std::find_if(rows_.begin(), rows_.end(),
                                [&](const HeldRow& r) { return r.seq >= seq; });
  for (auto it = rows_.begin(); it != end; ++it) count(*it, -1);
  std::vector<HeldRow> out(std::make_move_iterator(rows_.begin()),
                           std::make_move_iterator(end));
  rows_.erase(rows_.begin(), end);
  return out;
}

void HeldRows::drop_from(std::uint64_t seq) {
  for (const auto& r : rows_)
    if (r.seq >= seq) count(r, -1);
  std::erase_if(rows_, [&](const HeldRow& r) { return r.seq >= seq; });
}

void HeldRows::clear() {
  rows_.clear();
  input_hashes_.clear();
  input_keys_.clear();
  routes_.clear();
  allocations_.clear();
  bsns_.clear();
}

namespace {

struct TableColumns {
  std::string_view table;
  std::string_view columns;
  std::size_t width;
};

// The order of the values of a held row (ledger.cpp holds them in this order).
constexpr std::array<TableColumns, 4> kTables{{
    {"messages",
     "role, type, berichtcode, afzender, ontvanger, identificatie, dagtekening, xsd_basis, "
     "xsd_bericht, source, content_hash, verdict, level, findings, reply_to, route_path, reason, "
     "received_at, id",
     19},
    {"allocation_versions",
     "id, message_id, gemeente, toewijzing_nummer, toewijzingsdatum, toewijzingstijd, bsn, agb, "
     "categorie, code, ingangsdatum, einddatum, reden_wijziging, volume, eenheid, frequentie, "
     "budget, referentie_aanbieder, domain",
     19},
    {"starts",
     "id, agb, gemeente, bsn, toewijzing_nummer, categorie, code, begindatum, "
     "toewijzing_ingangsdatum, inserted_by, deleted_by, domain",
     12},
    {"stops",
     "id, agb, gemeente, bsn, toewijzing_nummer, categorie, code, begindatum, "
     "toewijzing_ingangsdatum, inserted_by, deleted_by, reden_beeindiging, einddatum, domain",
     14},
}};

constexpr std::size_t kSizes = std::bit_width(kHeldRowsPerInsert);  // 1, 2, 4, ... 64

std::string build_insert(std::string_view table, std::string_view columns, std::size_t width,
                         std::size_t n) {
  std::string row = "(";
  for (std::size_t i = 0; i < width; ++i) row += i ? ",?" : "?";
  row += ")";
  std::string sql = fmt::format("INSERT INTO {}({}) VALUES ", table, columns);
  for (std::size_t i = 0; i < n; ++i) {
    if (i) sql += ',';
    sql += row;
  }
  return sql;
}

// [table][part][log2 n]; the message parts only for messages.
using Statements = std::array<std::array<std::array<std::string, kSizes>, 3>, 4>;

Statements build_all() {
  Statements out;
  for (std::size_t t = 0; t < kTables.size(); ++t)
    for (std::size_t k = 0; k < kSizes; ++k) {
      const std::size_t n = std::size_t{1} << k;
      out[t][0][k] = build_insert(kTables[t].table, kTables[t].columns, kTables[t].width, n);
      if (t == 0) {
        out[t][1][k] = build_insert("message_bytes", "id, bytes, encoding", 3, n);
        out[t][2][k] = build_insert("unwritten", "id", 1, n);
      }
    }
  return out;
}

}  // namespace

std::string_view held_columns(HeldTable table) {
  return kTables[static_cast<std::size_t>(table)].columns;
}

std::size_t held_width(HeldTable table) { return kTables[static_cast<std::size_t>(table)].width; }

const std::string& held_insert_sql(HeldTable table, HeldPart part, std::size_t n) {
  static const Statements statements = build_all();
  if (n == 0 || n > kHeldRowsPerInsert || !std::has_single_bit(n) ||
      (part != HeldPart::rows && table != HeldTable::messages))
    throw RuntimeError(fmt::format("ledger: no INSERT of {} held rows", n));
  const auto k = static_cast<std::size_t>(std::countr_zero(n));
  return statements[static_cast<std::size_t>(table)][static_cast<std::size_t>(part)][k];
}

}  // namespace istd::ledger
