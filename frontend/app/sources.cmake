# The app/ sources (state + actions): plain C++, built into the browser app by
# frontend/CMakeLists.txt and natively into the unit tests by tests/frontend/.
set(INVITES_APP_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/actions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/send_actions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/setup_actions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/suppression_actions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/offline.cpp
  ${CMAKE_CURRENT_LIST_DIR}/state.cpp
  ${CMAKE_CURRENT_LIST_DIR}/template_preview.cpp
)
set(INVITES_FRONTEND_DIR ${CMAKE_CURRENT_LIST_DIR}/..)
