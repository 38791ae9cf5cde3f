// Internal to src/core/ledger/: the rows a PostgreSQL writer holds back and then sends
// together, as INSERTs of many rows each (docs/DESIGN.md, "Rows held back"). Only new rows of
// the tables every message writes are held: messages (with their bytes and `unwritten` flag),
// allocation_versions, starts and stops. Each held row keeps what a read may ask of it, so that
// a read sends the rows first only when one of them could change its answer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace istd::ledger {

enum class HeldTable : std::uint8_t { messages, allocation_versions, starts, stops };

struct HeldRow {
  HeldTable table = HeldTable::messages;
  std::uint64_t seq = 0;  // order of holding (HeldRows::add)
  /// The row's values in the order of held_columns(table); nullopt is NULL.
  std::vector<std::optional<std::string>> values;
  // messages: the row of message_bytes (packed bytes and their encoding).
  std::string bytes;
  std::int64_t encoding = 0;
  // What reads ask of the row. messages: an input's content hash and TR056 key, any row's
  // route. The other tables: the allocation (gemeente, ToewijzingNummer) and the Bsn.
  bool input = false;
  std::int64_t hash = 0;
  std::string berichtcode, afzender, identificatie, route;
  std::string gemeente, bsn;
  std::optional<std::int64_t> nummer;
};

/// The held rows of a write transaction, in the order they were held.
class HeldRows {
 public:
  /// The number the next held row gets (a savepoint's mark: rows from it on are after it).
  std::uint64_t next_seq() const { return next_seq_; }
  void add(HeldRow row);
  bool empty() const { return rows_.empty(); }
  std::size_t size() const { return rows_.size(); }

  /// True when a held row is an input with this content hash or TR056 key, or has one of these
  /// routes: earlier_inputs would find it.
  bool touch_inputs(std::int64_t hash, std::string_view berichtcode, std::string_view afzender,
                    std::string_view identificatie, const std::vector<std::string>& routes) const;
  /// True when a held allocation version, start or stop is of allocation (gemeente, nummer),
  /// or (when `bsn` is given) of that Bsn.
  bool touch_allocation(std::string_view gemeente, std::optional<std::int64_t> nummer,
                        const std::string_view* bsn) const;

  /// Takes out the rows held before `seq` (all of them: UINT64_MAX), in order.
  std::vector<HeldRow> take_before(std::uint64_t seq);
  /// Drops the rows held from `seq` on (a rollback to a savepoint).
  void drop_from(std::uint64_t seq);
  void clear();

 private:
  // How many held rows have each value the touch_ questions ask about, so that a question
  // costs a few lookups instead of a look at every held row (they are asked for every message).
  struct KeyHash {  // lookups by string_view, no copy of the key
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Counts = std::unordered_map<std::string, int, KeyHash, std::equal_to<>>;
  void count(const HeldRow& r, int delta);
  static void count_in(Counts& c, std::string_view key, int delta);

  std::vector<HeldRow> rows_;
  std::uint64_t next_seq_ = 1;
  std::unordered_map<std::int64_t, int> input_hashes_;
  Counts input_keys_, routes_, allocations_, bsns_;
};

/// The columns of a held row of `table`, as held_insert_sql lists them.
std::string_view held_columns(HeldTable table);
/// How many values a held row of `table` has.
std::size_t held_width(HeldTable table);

/// What one INSERT of held rows writes: the table's own rows, or a held message's bytes or
/// `unwritten` flag.
enum class HeldPart : std::uint8_t { rows, message_bytes, unwritten };

/// The INSERT of `n` rows of `part` of `table` (`?` parameters, row after row).
const std::string& held_insert_sql(HeldTable table, HeldPart part, std::size_t n);

/// The largest number of rows one INSERT takes; an INSERT takes a power of two rows, so that a
/// connection prepares few distinct statements.
constexpr std::size_t kHeldRowsPerInsert = 64;

}  // namespace istd::ledger
