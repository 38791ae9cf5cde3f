// RAII guard for the Xerces-C platform. Exactly one lives in main() (and one in the test main);
// never create one in static initialisation.
#pragma once

namespace istd::xml {

class Platform {
 public:
  Platform();
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;
};

}  // namespace istd::xml
