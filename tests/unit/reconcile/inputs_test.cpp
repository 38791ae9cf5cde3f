// Policy file, billing CSV and tariffs CSV: exact file:line errors.
#include <doctest/doctest.h>

#include "core/errors.hpp"
#include "core/reconcile/billing.hpp"
#include "core/reconcile/policy.hpp"
#include "core/reconcile/tariffs.hpp"

using namespace istd::reconcile;
using istd::ConfigError;

TEST_SUITE("reconcile") {
  TEST_CASE("reconcile: policy defaults follow DOMAIN 7.6") {
    Policy p = Policy::parse("", "p.conf");
    CHECK(p.trigger == Trigger::delivery);
    CHECK(p.pause_suspends);
    CHECK_FALSE(p.start_month_billed);
    CHECK(p.minors_exempt);
    CHECK(p.einddatum_inclusive);
    CHECK(p.exempt_categories == std::set<std::string>{"11", "15", "16", "17", "18"});
    CHECK(p.amounts.at(2024) == 2060);
    CHECK(p.amounts.count(2026) == 0);
    CHECK_FALSE(p.reject_before_start.has_value());
    // The defaults text parses back to the defaults.
    Policy q = Policy::parse(Policy::defaults_text(), "defaults");
    CHECK(q.amounts == p.amounts);
    CHECK(q.exempt_categories == p.exempt_categories);
  }

  TEST_CASE("reconcile: policy file sets every key") {
    Policy p = Policy::parse(
        "# municipality X\n"
        "trigger = allocation\n"
        "pause_suspends = false  # bill paused months\n"
        "start_month_billed = true\n"
        "exempt_categories = 08, 11 15\n"
        "minors_exempt = false\n"
        "minors_charged_categories = none\n"
        "einddatum_inclusive = false\n"
        "tr318_delivery_evidence = false\n"
        "reject_before_start = 9307\n"
        "reject_in_pause = 9308\n"
        "amount.2026 = 2160\n"
        "amount.2020 = unknown\n",
        "p.conf");
    CHECK(p.trigger == Trigger::allocation);
    CHECK_FALSE(p.pause_suspends);
    CHECK(p.start_month_billed);
    CHECK(p.exempt_categories == std::set<std::string>{"08", "11", "15"});
    CHECK_FALSE(p.minors_exempt);
    CHECK(p.minors_charged_categories.empty());
    CHECK_FALSE(p.einddatum_inclusive);
    CHECK_FALSE(p.tr318_delivery_evidence);
    CHECK(p.reject_before_start == "9307");
    CHECK(p.reject_in_pause == "9308");
    CHECK(p.amounts.at(2026) == 2160);
    CHECK(p.amounts.count(2020) == 0);
  }

  TEST_CASE("reconcile: policy errors name file and line") {
    CHECK_THROWS_WITH_AS(Policy::parse("trigger = delivery\n\nfoo = 1\n", "p.conf"),
                         "p.conf:3: unknown key \"foo\"", ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("trigger = cak\n", "p.conf"),
                         "p.conf:1: trigger must be delivery, allocation or declaration, not "
                         "\"cak\"",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("pause_suspends = yes\n", "p.conf"),
                         "p.conf:1: pause_suspends must be true or false, not \"yes\"",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("amount.2026 = 21,60\n", "p.conf"),
                         "p.conf:1: amount.2026 must be a whole number of cents (e.g. 2100) or "
                         "unknown, not \"21,60\"",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("amount.26 = 2100\n", "p.conf"),
                         "p.conf:1: unknown key \"amount.26\" (amounts are amount.YYYY with a "
                         "year 2020..2099)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("reject_in_pause = X123\n", "p.conf"),
                         "p.conf:1: reject_in_pause must be off or a rejection retourcode of the "
                         "iWmo 3.2 list (e.g. 9307), not \"X123\"",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("exempt_categories = 1\n", "p.conf"),
                         "p.conf:1: bad product category \"1\" (two digits, e.g. 08)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("trigger delivery\n", "p.conf"),
                         "p.conf:1: expected \"key = value\", got \"trigger delivery\"",
                         ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("trigger = delivery\ntrigger = allocation\n", "p.conf"),
                         "p.conf:2: trigger is set twice", ConfigError);
    CHECK_THROWS_WITH_AS(Policy::parse("minors_exempt =\n", "p.conf"),
                         "p.conf:1: missing value for minors_exempt", ConfigError);
  }

  TEST_CASE("reconcile: billing CSV with optional household, any column order, CRLF") {
    auto b = parse_billing("month,bsn,amount,household\r\n2025-04,999990019,2100,H1\r\n\r\n"
                           "2025-05,999990020,\"2100\",H1\r\n",
                           "b.csv");
    REQUIRE(b.size() == 2);
    CHECK(b[0].bsn == "999990019");
    CHECK(b[0].year == 2025);
    CHECK(b[0].month == 4);
    CHECK(b[0].amount == 2100);
    CHECK(b[0].household == "H1");
    CHECK(b[1].line == 4);
    auto c = parse_billing("bsn,month,amount\n999990019,2025-04,2100\n999990019,2025-04,2100\n",
                           "b.csv");
    CHECK(c.size() == 2);  // two lines for one household-month are data
  }

  TEST_CASE("reconcile: billing CSV errors name file and line") {
    CHECK_THROWS_WITH_AS(parse_billing("bsn,maand,amount\n", "b.csv"),
                         "b.csv:1: unknown column \"maand\" (expected header "
                         "bsn,month,amount,[household])",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,amount\n", "b.csv"),
                         "b.csv:1: missing column \"month\" (expected header "
                         "bsn,month,amount,[household])",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("", "b.csv"),
                         "b.csv:1: empty file (expected the header bsn,month,amount)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-04,2100\n"
                                       "123456789,2025-04,2100\n",
                                       "b.csv"),
                         "b.csv:3: bad BSN \"123456789\" (9 digits passing the 11-proof)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-13,2100\n", "b.csv"),
                         "b.csv:2: impossible month \"2025-13\"", ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,april,2100\n", "b.csv"),
                         "b.csv:2: bad month \"april\" (YYYY-MM)", ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-04,-2100\n", "b.csv"),
                         "b.csv:2: bad amount \"-2100\" (whole cents, e.g. 2100)", ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-04,21.00\n", "b.csv"),
                         "b.csv:2: bad amount \"21.00\" (whole cents, e.g. 2100)", ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-04,250000\n", "b.csv"),
                         "b.csv:2: impossible amount \"250000\" (more than EUR 1000 in a month)",
                         ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n999990019,2025-04\n", "b.csv"),
                         "b.csv:2: 2 fields, the header has 3", ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount\n\"999990019,2025-04,2100\n", "b.csv"),
                         "b.csv:2: unterminated quoted field", ConfigError);
    CHECK_THROWS_WITH_AS(parse_billing("bsn,month,amount,household\n999990019,2025-04,2100,H1\n"
                                       "999990019,2025-05,2100,H2\n",
                                       "b.csv"),
                         "b.csv:3: BSN ******019 is in household \"H2\" here but in \"H1\" on "
                         "line 2",
                         ConfigError);
  }

  TEST_CASE("reconcile: tariffs CSV and its errors") {
    auto t = Tariffs::parse(
        "gemeente,agb,product_code,eenheid,tarief,begindatum,einddatum\n"
        "0363,12345678,02A01,04,6500,2025-01-01,2025-06-30\n"
        "0363,12345678,02A01,04,6600,2025-07-01,\n",
        "t.csv");
    CHECK(t.size() == 2);
    CHECK(t.find("0363", "12345678", "02A01", {2025, 3, 1})->tarief == 6500);
    CHECK(t.find("0363", "12345678", "02A01", {2025, 8, 1})->tarief == 6600);
    CHECK(t.find("0363", "12345678", "02A02", {2025, 8, 1}) == nullptr);
    CHECK_THROWS_WITH_AS(
        Tariffs::parse("gemeente,agb,product_code,eenheid,tarief,begindatum\n"
                       "0363,12345678,02A01,04,65.00,2025-01-01\n",
                       "t.csv"),
        "t.csv:2: bad tarief \"65.00\" (whole cents, >= 0)", ConfigError);
    CHECK_THROWS_WITH_AS(
        Tariffs::parse("gemeente,agb,product_code,eenheid,tarief,begindatum\n"
                       "0363,12345678,02A01,04,6500,2025-01-01\n"
                       "0363,12345678,02A01,04,6600,2025-06-01\n",
                       "t.csv"),
        "t.csv:3: tariff period overlaps line 2 for 0363 12345678 02A01", ConfigError);
    CHECK_THROWS_WITH_AS(Tariffs::parse("gemeente,agb,code\n", "t.csv"),
                         "t.csv:1: unknown column \"code\" (expected header "
                         "gemeente,agb,product_code,eenheid,tarief,begindatum,[einddatum])",
                         ConfigError);
  }
}
