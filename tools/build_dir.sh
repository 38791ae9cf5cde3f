# Sourced by tools/test.sh and tools/demo.sh.
# generator DIR: "-GNinja" for a new build directory (Ninja compiles a target's objects while the
# libraries it links are still being built, where make waits for them, which keeps both cores
# busy to the end); nothing for one that exists, which keeps the generator it was configured with.
generator() { [[ -f $1/CMakeCache.txt ]] || echo "-GNinja"; }
