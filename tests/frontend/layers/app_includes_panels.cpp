// Must not compile: app/ is the bottom layer of the browser app and sees no
// drawing code (CTest frontend.layers.app_includes_panels expects the error).
#include "app/fetcher.hpp"     // its own layer: found
#include "panels/widgets.hpp"  // a layer above: "No such file or directory"
