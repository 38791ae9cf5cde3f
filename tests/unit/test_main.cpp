#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "core/xml/platform.hpp"

int main(int argc, char** argv) {
  istd::xml::Platform xerces;  // one Xerces guard for the whole test run
  doctest::Context ctx;
  ctx.applyCommandLine(argc, argv);
  return ctx.run();
}
