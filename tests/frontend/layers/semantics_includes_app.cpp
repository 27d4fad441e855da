// Must not compile: semantics/ (the semantic tree) sits beside app/ and sees
// neither the app's state nor anything above it (CTest
// frontend.layers.semantics_includes_app expects the error).
#include "semantics/tree.hpp"  // its own layer: found
#include "app/state.hpp"       // a layer beside: "No such file or directory"
