// The ledger's bulk and listing reads, on a read-only SQLite connection of their own.
//
// `istd reconcile` reads whole tables at once to build its snapshot (50,000 clients and 500,000
// lines in seconds; the Ledger's lookups answer one key at a time), and `istd serve` lists the
// messages routed to a party while its Ledger writes on another connection. A Reader never
// creates, migrates or writes the file: it reads schema versions 1 to kSchemaVersion as they
// are (they have the tables and columns it reads; version 2 changed indexes, version 3 added
// message_bytes.encoding). Rows come back as the records of ledger.hpp; the table scans hand
// them to a callback one by one, so a large table is never held twice.
//
// Not thread-safe: one Reader per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger/ledger.hpp"

namespace istd::ledger {

/// An input message by its header: the names reconcile gives its evidence ("WMO305:<id>").
struct MessageLabel {
  MessageId id = 0;
  std::string type;           ///< "WMO301", "WMO305", "WMO307"
  std::string identificatie;  ///< its BerichtIdentificatie/Identificatie
};

/// A message delivered to a party (`routed_to`); the rest of the row is `Ledger::message(id)`.
struct RoutedMessage {
  MessageId id = 0;
  std::string received_at;  ///< UTC "YYYY-MM-DDTHH:MM:SSZ"
};

/// An input message's header and whether the ledger holds its answer (the worklist's view).
struct InputHeader {
  MessageId id = 0;
  std::string type;  ///< "WMO301", "WMO302", ... ("" rows are not listed)
  std::string afzender, ontvanger, identificatie, dagtekening;
  std::string received_at;  ///< UTC "YYYY-MM-DDTHH:MM:SSZ"
  Verdict verdict = Verdict::recorded;
  bool quarantined = false;  ///< kept in quarantine (never sent on; own 301s refused there too)
  bool answered = false;     ///< an output row answers it (a retour or a 325 istd made)
};

class Reader {
 public:
  /// Opens `file` read-only.
  /// @throws ConfigError when there is no such file or its schema version is not one this istd
  ///         reads; RuntimeError when SQLite cannot open or read it (e.g. not a database).
  explicit Reader(const std::filesystem::path& file);
  /// The legal domain the whole-table reads below cover (iWmo until set; from schema 6 on
  /// rows of the other domain are left out; older ledgers hold only iWmo rows).
  void set_standard(model::Standard s);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  /// The file's schema version (1 to kSchemaVersion).
  int schema_version() const;

  // -- Reconcile: the whole ledger at once ---------------------------------------------------
  // Every operation @throws RuntimeError on database failure.

  /// The highest messages id (0 when there are no messages).
  MessageId max_message_id() const;
  /// Input rows of type WMO301, WMO305 or WMO307 (any verdict), in no particular order.
  std::vector<MessageLabel> functional_inputs() const;
  /// Every allocation version, ordered by (gemeente, ToewijzingNummer, Toewijzingsdatum,
  /// Toewijzingstijd): each allocation's versions oldest first, its current version last.
  void for_each_allocation_version(const std::function<void(AllocationVersion&&)>& row) const;
  /// Every start that names a ToewijzingNummer, live and deleted, in table order.
  void for_each_numbered_start(const std::function<void(StartRecord&&)>& row) const;
  /// Every stop that names a ToewijzingNummer, live and deleted, in table order.
  void for_each_numbered_stop(const std::function<void(StopRecord&&)>& row) const;
  /// How many declarations the ledger holds in the domain set with set_standard.
  std::int64_t declaration_count() const;
  /// Every declaration, oldest first.
  void for_each_declaration(const std::function<void(DeclarationRecord&&)>& row) const;
  /// The prestaties of the declarations `wanted` accepts, oldest first (the others are skipped
  /// without being read).
  void for_each_prestatie(const std::function<bool(RowId declaration_id)>& wanted,
                          const std::function<void(PrestatieRecord&&)>& row) const;

  /// Every input with a known type, oldest first (the worklist: heen-messages without their
  /// retour, received retours that settle them).
  void for_each_input_header(const std::function<void(InputHeader&&)>& row) const;

  /// Every request (315/317) with its answers and the allocation that honoured it, oldest
  /// first; only those of `party` (gemeente or provider) when given. Empty for ledgers made
  /// before requests were recorded (schema version below 5).
  std::vector<RequestStatus> request_statuses(std::string_view party = {}) const;

  // -- Service: messages of a party ----------------------------------------------------------

  /// Messages (inputs and retours) delivered to `party`: those whose route_path begins with
  /// "<party>/" (ingest routes a message to the party it is for), with an id above `after_id`
  /// and received at or after `received_from` ("" = any), oldest first, at most `limit`.
  /// @throws RuntimeError on database failure.
  std::vector<RoutedMessage> routed_to(std::string_view party, MessageId after_id,
                                       std::string_view received_from, std::size_t limit) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace istd::ledger
