// ledger::HeldRows: the questions reads ask of the rows a PostgreSQL writer holds back, as rows
// are held, sent (take_before), rolled back (drop_from) and cleared.
#include "core/ledger/held_rows.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace istd::ledger;

namespace {

HeldRow message(bool input, std::int64_t hash, std::string identificatie, std::string route) {
  HeldRow r;
  r.table = HeldTable::messages;
  r.input = input;
  r.hash = hash;
  r.berichtcode = "414";
  r.afzender = "0363";
  r.identificatie = std::move(identificatie);
  r.route = std::move(route);
  return r;
}

HeldRow functional(HeldTable t, std::string gemeente, std::optional<std::int64_t> nummer,
                   std::string bsn) {
  HeldRow r;
  r.table = t;
  r.gemeente = std::move(gemeente);
  r.nummer = nummer;
  r.bsn = std::move(bsn);
  return r;
}

bool inputs(const HeldRows& h, std::int64_t hash, std::string_view identificatie,
            std::vector<std::string> routes = {}) {
  return h.touch_inputs(hash, "414", "0363", identificatie, routes);
}

bool allocation(const HeldRows& h, std::string_view gemeente, std::optional<std::int64_t> nummer,
                std::optional<std::string_view> bsn = std::nullopt) {
  return h.touch_allocation(gemeente, nummer, bsn ? &*bsn : nullptr);
}

}  // namespace

TEST_SUITE("ledger") {

TEST_CASE("held rows: an input's hash and TR056 key, and any message row's route, are found") {
  HeldRows h;
  CHECK_FALSE(inputs(h, 1, "A", {"r/a.xml"}));
  h.add(message(true, 1, "A", "r/a.xml"));
  h.add(message(false, 2, "B", "r/b.xml"));  // an output: its hash and key are not asked for
  CHECK(inputs(h, 1, "X"));
  CHECK(inputs(h, 9, "A"));
  CHECK_FALSE(inputs(h, 2, "B"));
  CHECK(inputs(h, 9, "X", {"r/none.xml", "r/b.xml"}));
  CHECK_FALSE(inputs(h, 9, "X", {"r/none.xml"}));
  CHECK_FALSE(h.touch_inputs(9, "414", "0599", "A", {}));  // another Afzender: another key
  // Allocation rows are not messages, and messages are not allocation rows.
  CHECK_FALSE(allocation(h, "0363", std::nullopt, "999900006"));
}

TEST_CASE("held rows: an allocation (gemeente and number, or none) and a Bsn are found") {
  HeldRows h;
  h.add(functional(HeldTable::starts, "0363", 300201, "999900006"));
  h.add(functional(HeldTable::stops, "0599", std::nullopt, "999900018"));
  CHECK(allocation(h, "0363", 300201));
  CHECK_FALSE(allocation(h, "0363", 300202));
  CHECK_FALSE(allocation(h, "0599", 300201));
  CHECK(allocation(h, "0363", 300202, "999900006"));  // the same client
  CHECK(allocation(h, "0599", std::nullopt));
  CHECK_FALSE(allocation(h, "0363", std::nullopt));
  CHECK_FALSE(allocation(h, "0363", 7, "999900030"));
  CHECK_FALSE(inputs(h, 0, ""));
}

TEST_CASE("held rows: what was sent, rolled back or cleared is no longer found") {
  HeldRows h;
  h.add(message(true, 1, "A", "r/a.xml"));
  h.add(functional(HeldTable::allocation_versions, "0363", 5, "999900006"));
  const auto mark = h.next_seq();
  h.add(message(true, 1, "A2", "r/a2.xml"));  // the same hash, held twice
  h.add(functional(HeldTable::starts, "0363", 6, "999900006"));
  h.add(message(true, 3, "C", "r/c.xml"));

  const auto sent = h.take_before(mark);  // the first two
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].identificatie == "A");
  CHECK(h.size() == 3);
  CHECK_FALSE(inputs(h, 9, "A", {"r/a.xml"}));
  CHECK(inputs(h, 1, "X"));  // still held once
  CHECK_FALSE(allocation(h, "0363", 5));
  CHECK(allocation(h, "0363", 9, "999900006"));  // the start's client

  h.drop_from(mark + 1);  // the start and C
  CHECK(h.size() == 1);
  CHECK_FALSE(allocation(h, "0363", 6, "999900006"));
  CHECK_FALSE(inputs(h, 3, "C", {"r/c.xml"}));
  CHECK(inputs(h, 1, "A2", {"r/a2.xml"}));

  h.clear();
  CHECK(h.empty());
  CHECK_FALSE(inputs(h, 1, "A2", {"r/a2.xml"}));
  h.add(message(true, 1, "A2", "r/a2.xml"));  // counted afresh after a clear
  CHECK(inputs(h, 1, "X"));
}

}  // TEST_SUITE
