// DOMAIN.md §8.5 E1–E19 (and the other 323 rules): each a trigger and a near miss.
#include <doctest/doctest.h>

#include "core/reconcile/rules_323.hpp"
#include "core/reconcile/tariffs.hpp"
#include "reconcile/reconcile_fixture.hpp"

using namespace istd::test::rec;
using istd::reconcile::Judgement;
using istd::reconcile::LineVerdict;
using istd::reconcile::RuleOptions;
using Codes = std::vector<std::string>;

namespace {

/// Base history: 300201 (C1, P1, Apr–Dec 2025) started 04-03; 300202 (C2, P1).
History base() {
  History h;
  add(h, alloc(300201), {{D(4, 3), "WMO305:S1"}});
  add(h, alloc(300202, kC2), {{D(4, 3), "WMO305:S2"}});
  return h;
}

/// Approve a line in an earlier declaration.
Judgement approve_earlier(History& h, std::int64_t decl_id, const std::string& nummer, int month,
                          const std::vector<Line>& lines) {
  auto j = run(h, decl(decl_id, nummer, month), lines);
  for (const auto& o : j.lines) REQUIRE(o.approved);
  return j;
}

}  // namespace

TEST_SUITE("reconcile") {
  TEST_CASE("reconcile: E1 a correct 323 is approved in full with 8001") {
    History h = base();
    auto j = run(h, decl(1, "D1", 5), {line(1, "R1", 5), line(2, "R2", 5, 4, 300202, kC2)});
    CHECK(j.answer_codes() == Codes{"8001"});
    CHECK(j.toegekend == 14 * 5000);
    CHECK(j.lines[0].approved);
    CHECK(j.lines[1].approved);
  }

  TEST_CASE("reconcile: E2 TR338 an unknown ToewijzingNummer is 9338") {
    History h = base();
    auto j = run(h, decl(1, "D1", 5), {line(1, "R1", 5), line(2, "R2", 5, 3, 999999)});
    CHECK(j.answer_codes() == Codes{"0200"});
    CHECK(j.lines[0].approved);
    CHECK(codes(j.lines[1]) == Codes{"9338"});
    CHECK(j.toegekend == 10 * 5000);
    SUBCASE("near miss: an allocation of another provider is not found either (OP095)") {
      History h2 = base();
      add(h2, alloc(300300, kC1, kP2), {{D(4, 3), "s"}});
      auto j2 = run(h2, decl(1, "D1", 5), {line(1, "R1", 5, 10, 300300)});
      CHECK(codes(j2.lines[0]) == Codes{"9338"});
    }
  }

  TEST_CASE("reconcile: E3 TR304 a line on another client's allocation is 8187") {
    History h = base();
    auto j = run(h, decl(1, "D1", 5), {line(1, "R1", 5, 10, 300202, kC1)});
    CHECK(codes(j.lines[0]) == Codes{"8187"});
    CHECK(j.client_hits.empty());
    SUBCASE("near miss: the same line under C2 is approved") {
      History h2 = base();
      auto j2 = run(h2, decl(1, "D1", 5), {line(1, "R1", 5, 10, 300202, kC2)});
      CHECK(j2.lines[0].approved);
    }
  }

  TEST_CASE("reconcile: E4 TR304 a client without allocation is 8187 and its lines 0233") {
    History h = base();
    auto j = run(h, decl(1, "D1", 5),
                 {line(1, "R1", 5), line(2, "R2", 5, 1, 300201, kC3), line(3, "R3", 5, 2, 300201, kC3)});
    REQUIRE(j.client_hits.count(kC3) == 1);
    CHECK(j.client_hits[kC3][0].code == "8187");
    CHECK(codes(j.lines[1]) == Codes{"0233"});
    CHECK(codes(j.lines[2]) == Codes{"0233"});
    CHECK(j.lines[0].approved);
    // Its ReferentieNummers are reserved (TR314).
    CHECK(h.by_referentie(kP1, "R2").size() == 1);
  }

  TEST_CASE("reconcile: E5 TR340 and TR339 wrong code 9340, wrong category 9339") {
    History h;
    Allocation a = alloc();
    a.categorie = "01";
    a.code = "01A11";
    add(h, a, {{D(4, 3), "s"}});
    Line l1 = line(1, "R1", 5);
    l1.categorie = "01";
    l1.code = "01A12";
    Line l2 = line(2, "R2", 6);
    l2.categorie = "02";
    l2.code = "01A11";
    Line l3 = line(3, "R3", 7);  // near miss
    l3.categorie = "01";
    l3.code = "01A11";
    auto j = run(h, decl(1, "D1", 7), {l1, l2, l3});
    CHECK(codes(j.lines[0]) == Codes{"9340"});
    CHECK(codes(j.lines[1]) == Codes{"9339"});
    CHECK(j.lines[2].approved);
    SUBCASE("an aspecific allocation accepts any code of the category") {
      History h2;
      Allocation b = alloc();
      b.code.reset();
      add(h2, b, {{D(4, 3), "s"}});
      Line l = line(1, "R1", 5);
      l.code = "02A99";
      CHECK(run(h2, decl(1, "D1", 5), {l}).lines[0].approved);
    }
  }

  TEST_CASE("reconcile: E6 TR307 and TR387 a period before the Ingangsdatum is 9307 and 9387") {
    History h;
    Allocation a = alloc();
    a.ingangsdatum = D(4, 8);
    add(h, a, {{D(4, 8), "s"}});
    auto j = run(h, decl(1, "D1", 4), {line(1, "R1", 4)});
    CHECK(codes(j.lines[0]) == Codes{"9307", "9387"});
    SUBCASE("near miss: 04-08..04-30 is approved") {
      History h2;
      add(h2, a, {{D(4, 8), "s"}});
      Line l = line(1, "R1", 4);
      l.begin = D(4, 8);
      CHECK(run(h2, decl(1, "D1", 4), {l}).lines[0].approved);
    }
    SUBCASE("TR387 alone: a period starting later than required is 9387") {
      History h2;
      add(h2, a, {{D(4, 8), "s"}});
      Line l = line(1, "R1", 4);
      l.begin = D(4, 10);
      CHECK(codes(run(h2, decl(1, "D1", 4), {l}).lines[0]) == Codes{"9387"});
    }
  }

  TEST_CASE("reconcile: E7 TR308 and TR388 a period after the Einddatum is 9308 and 9388") {
    History h;
    Allocation a = alloc();
    a.einddatum = D(6, 17);
    add(h, a, {{D(4, 3), "s"}});
    auto j = run(h, decl(1, "D1", 6), {line(1, "R1", 6)});
    CHECK(codes(j.lines[0]) == Codes{"9308", "9388"});
    SUBCASE("near miss: 06-01..06-17 is approved") {
      History h2;
      add(h2, a, {{D(4, 3), "s"}});
      Line l = line(1, "R1", 6);
      l.eind = D(6, 17);
      CHECK(run(h2, decl(1, "D1", 6), {l}).lines[0].approved);
    }
    SUBCASE("TR388 alone: a period ending early in the month is 9388") {
      History h2;
      add(h2, alloc(), {{D(4, 3), "s"}});
      Line l = line(1, "R1", 6);
      l.eind = D(6, 20);
      CHECK(codes(run(h2, decl(1, "D1", 6), {l}).lines[0]) == Codes{"9388"});
    }
  }

  TEST_CASE("reconcile: E8 TR321 category 01 weekly allows 6 times the weekly volume") {
    History h;
    Allocation a = alloc();
    a.categorie = "01";
    a.code = "01A01";
    a.volume = 2;
    a.eenheid = "04";
    a.frequentie = "2";
    add(h, a, {{D(4, 3), "s"}});
    Line ok = line(1, "R1", 5, 12);
    ok.categorie = "01";
    ok.code = "01A01";
    CHECK(run(h, decl(1, "D1", 5), {ok}).lines[0].approved);
    History h2;
    add(h2, a, {{D(4, 3), "s"}});
    Line bad = ok;
    bad.volume = 13;
    bad.bedrag = 13 * 5000;
    CHECK(codes(run(h2, decl(1, "D1", 5), {bad}).lines[0]) == Codes{"9321"});
  }

  TEST_CASE("reconcile: E9 TR322 the total over the allocation is bounded by its weeks") {
    auto make = [] {
      History h;
      Allocation a = alloc();
      a.ingangsdatum = D(3, 10);
      a.einddatum = D(6, 30);
      a.volume = 3;
      a.eenheid = "04";
      a.frequentie = "2";
      add(h, a, {{D(3, 10), "s"}});
      Line m = line(1, "R1", 3, 12);
      m.begin = D(3, 10);
      approve_earlier(h, 1, "D3", 3, {m});
      approve_earlier(h, 2, "D4", 4, {line(2, "R2", 4, 15)});
      approve_earlier(h, 3, "D5", 5, {line(3, "R3", 5, 15)});
      return h;
    };
    History h = make();
    auto j = run(h, decl(4, "D6", 6), {line(4, "R4", 6, 18)});
    CHECK(codes(j.lines[0]) == Codes{"9322"});  // 42 + 18 > 51; 18 <= 6 weeks × 3 (TR321 ok)
    History h2 = make();
    CHECK(run(h2, decl(4, "D6", 6), {line(4, "R4", 6, 9)}).lines[0].approved);  // 51
  }

  TEST_CASE("reconcile: E10 TR369 the running sum may not exceed the budget") {
    History h;
    Allocation a = alloc();
    a.code.reset();
    a.budget = 100000;
    add(h, a, {{D(4, 3), "s"}});
    auto euro = [](std::int64_t id, int month, std::int64_t cents) {
      Line l = line(id, "R" + std::to_string(id), month);
      l.eenheid = "83";
      l.tarief.reset();
      l.volume = cents;
      l.bedrag = cents;
      return l;
    };
    auto j = run(h, decl(1, "D1", 6), {euro(1, 4, 40000), euro(2, 5, 50000), euro(3, 6, 20000)});
    CHECK(j.lines[0].approved);
    CHECK(j.lines[1].approved);
    CHECK(codes(j.lines[2]) == Codes{"9369"});
    SUBCASE("near miss: 10000 fits exactly") {
      History h2;
      add(h2, a, {{D(4, 3), "s"}});
      auto j2 = run(h2, decl(1, "D1", 6), {euro(1, 4, 40000), euro(2, 5, 50000), euro(3, 6, 10000)});
      CHECK(j2.lines[2].approved);
    }
  }

  TEST_CASE("reconcile: E11 TR346 minutes on an hourly contract tariff use IV081 rounding") {
    istd::reconcile::Tariffs t;
    t.add({kGemeente, kP1, "02A01", "04", 6500, D(1, 1), std::nullopt, 2});
    RuleOptions o;
    o.tariffs = &t;
    auto mk = [](std::int64_t bedrag) {
      Line l = line(1, "R1", 5, 95);
      l.eenheid = "01";
      l.tarief = 108;
      l.bedrag = bedrag;
      return l;
    };
    History h = base();
    CHECK(run(h, decl(1, "D1", 5), {mk(10292)}, o).lines[0].approved);
    History h2 = base();
    CHECK(codes(run(h2, decl(1, "D1", 5), {mk(10260)}, o).lines[0]) == Codes{"9346"});
    SUBCASE("without a tariff table both readings are accepted, a third is not") {
      History h3 = base();
      CHECK(run(h3, decl(1, "D1", 5), {mk(10260)}).lines[0].approved);
      History h4 = base();
      CHECK(run(h4, decl(1, "D1", 5), {mk(10292)}).lines[0].approved);
      History h5 = base();
      CHECK(codes(run(h5, decl(1, "D1", 5), {mk(10400)}).lines[0]) == Codes{"9346"});
    }
  }

  TEST_CASE("reconcile: TR418 a ProductTarief other than the contract tariff is 0611") {
    istd::reconcile::Tariffs t;
    t.add({kGemeente, kP1, "02A01", "04", 5000, D(1, 1), std::nullopt, 2});
    RuleOptions o;
    o.tariffs = &t;
    History h = base();
    CHECK(run(h, decl(1, "D1", 5), {line(1, "R1", 5)}, o).lines[0].approved);
    Line l = line(1, "R1", 5);
    l.tarief = 5100;
    l.bedrag = 10 * 5100;
    History h2 = base();
    CHECK(codes(run(h2, decl(1, "D1", 5), {l}, o).lines[0]) == Codes{"0611"});
    SUBCASE("minutes on an hourly tariff: H/60 rounded half-up (6500 -> 108)") {
      istd::reconcile::Tariffs t2;
      t2.add({kGemeente, kP1, "02A01", "04", 6500, D(1, 1), std::nullopt, 2});
      o.tariffs = &t2;
      Line m = line(1, "R1", 5, 95);
      m.eenheid = "01";
      m.tarief = 109;
      m.bedrag = 10292;
      History h3 = base();
      CHECK(codes(run(h3, decl(1, "D1", 5), {m}, o).lines[0]) == Codes{"0611"});
    }
  }

  TEST_CASE("reconcile: E12 TR389 a second debit for the same month is 9389") {
    History h = base();
    Line old = line(1, "R1", 4);
    approve_earlier(h, 1, "D1", 4, {old});
    auto j = run(h, decl(2, "D2", 5), {line(2, "R2", 4, 8)});
    CHECK(codes(j.lines[0]) == Codes{"9389"});
    SUBCASE("near miss: with the credit of the old line in the same 323 both are approved") {
      History h2 = base();
      approve_earlier(h2, 1, "D1", 4, {old});
      Line corrected = line(2, "R2", 4, 8);
      corrected.position = 0;  // debit first in the document: credits are still processed first
      Line cr = credit_of(old, 3, "R3");
      auto j2 = run(h2, decl(2, "D2", 5), {corrected, cr});
      CHECK(j2.lines[0].approved);
      CHECK(j2.lines[1].approved);
      CHECK(j2.toegekend == 8 * 5000 - 10 * 5000);
      CHECK(j2.credited == std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 3}});
    }
    SUBCASE("near miss: a rejected earlier debit does not block") {
      History h3 = base();
      Line bad = line(1, "R1", 4, 10, 999999);  // 9338
      run(h3, decl(1, "D1", 4), {bad});
      CHECK(run(h3, decl(2, "D2", 5), {line(2, "R2", 4)}).lines[0].approved);
    }
  }

  TEST_CASE("reconcile: TR416 two debits for one key in one 323") {
    SUBCASE("level 2 rejected the 323 at intake: header-only 0001, nothing judged") {
      History h = base();
      auto d = decl(1, "D1", 5);
      d.intake_codes = {"0001"};
      auto j = run(h, d, {line(1, "R1", 5), line(2, "R2", 5)});
      CHECK(j.answer_codes() == Codes{"0001"});
      CHECK(j.lines[0].not_assessed);
      CHECK_FALSE(h.declaratie_nummer_used(kP1, "D1"));
    }
    SUBCASE("a pipeline without level 2: the second line is 9389 (cumulative)") {
      History h = base();
      auto j = run(h, decl(1, "D1", 5), {line(1, "R1", 5), line(2, "R2", 5, 3)});
      CHECK(j.lines[0].approved);
      CHECK(codes(j.lines[1]) == Codes{"9389"});
    }
  }

  TEST_CASE("reconcile: E13 TR323 and TR390 credits of rejected or credited lines") {
    History h = base();
    Line rejected = line(1, "R1", 4, 10, 999999);
    run(h, decl(1, "D1", 4), {rejected});
    Line approved = line(2, "R2", 4);
    approve_earlier(h, 2, "D2", 4, {approved});
    approve_earlier(h, 3, "D3", 5, {credit_of(approved, 3, "R3")});
    auto j = run(h, decl(4, "D4", 5), {credit_of(rejected, 4, "R4"), credit_of(approved, 5, "R5")});
    CHECK(codes(j.lines[0]) == Codes{"9338", "8017"});
    CHECK(codes(j.lines[1]) == Codes{"9390"});
    SUBCASE("TR323: a credit that differs from its debit is 8017") {
      History h2 = base();
      approve_earlier(h2, 2, "D2", 4, {approved});
      Line c = credit_of(approved, 6, "R6");
      c.volume = 9;
      c.bedrag = 45000;
      CHECK(codes(run(h2, decl(5, "D5", 5), {c}).lines[0]) == Codes{"8017"});
    }
  }

  TEST_CASE("reconcile: E14 TR314 a ReferentieNummer used before is 8021") {
    History h = base();
    approve_earlier(h, 1, "D1", 4, {line(1, "R1", 4)});
    CHECK(codes(run(h, decl(2, "D2", 5), {line(2, "R1", 5)}).lines[0]) == Codes{"8021"});
    SUBCASE("also by a line of another client earlier in the same message") {
      History h2 = base();
      auto j = run(h2, decl(2, "D2", 5), {line(1, "R9", 5), line(2, "R9", 5, 4, 300202, kC2)});
      CHECK(j.lines[0].approved);
      CHECK(codes(j.lines[1]) == Codes{"8021"});
    }
    SUBCASE("near miss: a new number is approved") {
      History h3 = base();
      approve_earlier(h3, 1, "D1", 4, {line(1, "R1", 4)});
      CHECK(run(h3, decl(2, "D2", 5), {line(2, "R2", 5)}).lines[0].approved);
    }
  }

  TEST_CASE("reconcile: E15 TR333 a DeclaratieNummer used before is 9333 on the whole claim") {
    History h = base();
    approve_earlier(h, 1, "D1", 4, {line(1, "R1", 4)});
    auto j = run(h, decl(2, "D1", 5), {line(2, "R2", 5)});
    CHECK(j.answer_codes() == Codes{"9333"});
    CHECK(j.rejected_whole());
    CHECK(h.by_referentie(kP1, "R2").empty());  // not sent: reserves nothing
    SUBCASE("near miss: another number is accepted") {
      History h2 = base();
      approve_earlier(h2, 1, "D1", 4, {line(1, "R1", 4)});
      CHECK(run(h2, decl(2, "D2", 5), {line(2, "R2", 5)}).answer_codes() == Codes{"8001"});
    }
  }

  TEST_CASE("reconcile: E16 TR318 claim periods must follow on when care was delivered") {
    auto make = [](bool delivered_in_may) {
      History h;
      if (delivered_in_may) {
        add(h, alloc(), {{D(4, 3), "s"}});
      } else {
        // Delivered until 04-30 (pause from May 1), restarted 06-01.
        add(h, alloc(), {{D(4, 3), "s"}, {D(6, 1), "s2"}}, {{D(4, 3), "20", D(4, 30), "p"}});
      }
      approve_earlier(h, 1, "D4", 4, {line(1, "R1", 4)});
      return h;
    };
    History h = make(true);
    CHECK(run(h, decl(2, "D6", 6), {line(2, "R2", 6)}).answer_codes() == Codes{"8214"});
    History h2 = make(false);
    CHECK(run(h2, decl(2, "D6", 6), {line(2, "R2", 6)}).answer_codes() == Codes{"8001"});
    History h3 = make(true);
    CHECK(run(h3, decl(2, "D4b", 4), {}).declaratie_hits.empty());  // April again
    History h4 = make(true);
    CHECK(run(h4, decl(2, "D3", 3), {}).answer_codes() == Codes{"8214"});
    SUBCASE("the evidence switch off accepts every gap") {
      History h5 = make(true);
      RuleOptions o;
      o.tr318_evidence = false;
      CHECK(run(h5, decl(2, "D6", 6), {line(2, "R2", 6)}, o).answer_codes() == Codes{"8001"});
    }
  }

  TEST_CASE("reconcile: E17 TR384 a line on a deleted allocation is 9384") {
    History h;
    Allocation a = alloc();
    a.deleted = true;
    a.einddatum = a.ingangsdatum;
    add(h, a);
    CHECK(codes(run(h, decl(1, "D1", 4), {line(1, "R1", 4)}).lines[0]) == Codes{"9384"});
    History h2 = base();  // near miss
    CHECK(run(h2, decl(1, "D1", 4), {line(1, "R1", 4)}).lines[0].approved);
  }

  TEST_CASE("reconcile: E18 TR341 hours allocated, minutes claimed is fine - the reverse 9341") {
    History h;
    Allocation a = alloc();
    a.volume = 100;
    a.eenheid = "04";
    a.frequentie = "4";
    add(h, a, {{D(4, 3), "s"}});
    Line m = line(1, "R1", 5, 600);
    m.eenheid = "01";
    m.tarief = 83;
    m.bedrag = 600 * 83;
    CHECK(run(h, decl(1, "D1", 5), {m}).lines[0].approved);
    History h2;
    Allocation b = a;
    b.eenheid = "01";
    b.volume = 6000;
    add(h2, b, {{D(4, 3), "s"}});
    CHECK(codes(run(h2, decl(1, "D1", 5), {line(1, "R1", 5)}).lines[0]) == Codes{"9341"});
    SUBCASE("TR321 compares in minutes: 100 h/month allows 6000 minutes, not 6001") {
      History h3;
      add(h3, a, {{D(4, 3), "s"}});
      Line over = m;
      over.volume = 6001;
      over.bedrag = 6001 * 83;
      CHECK(codes(run(h3, decl(1, "D1", 5), {over}).lines[0]) == Codes{"9321"});
    }
  }

  TEST_CASE("reconcile: E19 a line in a full pause is approved with signal in-pause (OP364)") {
    History h;
    add(h, alloc(), {{D(4, 3), "WMO305:S1"}, {D(7, 1), "WMO305:S2"}},
        {{D(4, 3), "20", D(5, 31), "WMO307:P1"}});
    auto j = run(h, decl(1, "D1", 6), {line(1, "R1", 6)});
    CHECK(j.lines[0].approved);
    REQUIRE(j.lines[0].signals.size() == 1);
    CHECK(j.lines[0].signals[0].name == "in-pause");
    CHECK(j.lines[0].signals[0].evidence == Codes{"WMO305:S1", "WMO307:P1"});
    SUBCASE("near miss: a pause over part of June is no in-pause signal") {
      History h2;
      add(h2, alloc(), {{D(4, 3), "s"}, {D(6, 15), "s2"}}, {{D(4, 3), "20", D(5, 31), "p"}});
      auto j2 = run(h2, decl(1, "D1", 6), {line(1, "R1", 6)});
      CHECK(j2.lines[0].signals.empty());
    }
    SUBCASE("policy reject_in_pause turns it into a local rejection") {
      History h3;
      add(h3, alloc(), {{D(4, 3), "s"}, {D(7, 1), "s2"}}, {{D(4, 3), "20", D(5, 31), "p"}});
      RuleOptions o;
      o.local_in_pause = "9308";
      auto j3 = run(h3, decl(1, "D1", 6), {line(1, "R1", 6)}, o);
      CHECK(codes(j3.lines[0]) == Codes{"9308"});
      CHECK(j3.lines[0].hits[0].rule == "local-in-pause");
    }
  }

  TEST_CASE("reconcile: a line before the first 305 is approved with signal before-start") {
    History h;
    add(h, alloc(), {{D(7, 14), "WMO305:S1"}});
    auto j = run(h, decl(1, "D1", 6), {line(1, "R1", 6)});
    CHECK(j.lines[0].approved);
    REQUIRE(j.lines[0].signals.size() == 1);
    CHECK(j.lines[0].signals[0].name == "before-start");
    SUBCASE("near miss: a start inside the product period gives no signal") {
      History h2;
      add(h2, alloc(), {{D(6, 20), "WMO305:S1"}});
      CHECK(run(h2, decl(1, "D1", 6), {line(1, "R1", 6)}).lines[0].signals.empty());
    }
    SUBCASE("policy reject_before_start turns it into a local rejection") {
      RuleOptions o;
      o.local_before_start = "9307";
      History h3;
      add(h3, alloc(), {{D(7, 14), "WMO305:S1"}});
      auto j3 = run(h3, decl(1, "D1", 6), {line(1, "R1", 6)}, o);
      CHECK_FALSE(j3.lines[0].approved);
      CHECK(codes(j3.lines[0]) == Codes{"9307"});
      CHECK(j3.lines[0].hits[0].rule == "local-before-start");
    }
  }

  TEST_CASE("reconcile: TR319 a product period after the claim period is 9319") {
    History h = base();
    CHECK(codes(run(h, decl(1, "D1", 5), {line(1, "R1", 6)}).lines[0]) == Codes{"9319"});
    History h2 = base();  // near miss: an earlier month (late claim) is fine
    CHECK(run(h2, decl(1, "D1", 6), {line(1, "R1", 5)}).lines[0].approved);
  }
}
