#pragma once
// The query of one page of a Load's list (docs/design.md §5:
// GET /api/previews/{id}/recipients?group=&sort=&order=&offset=&limit=&q=),
// read here once for the server's route and for the browser's offline
// preview, so both accept the same values and answer the same errors, each
// naming its parameter.
#include "invites/evaluator.hpp"
#include "invites/page_params.hpp"
#include "invites/recipients.hpp"

namespace invites {

struct RecipientPageQuery {
  CountGroup group = CountGroup::new_users;
  PageRequest page;  // sort, order, window and search; its group is set by page_of
};

// Every parameter is optional (defaults: new_users, email, asc, offset 0,
// default_page_rows, no search). Throws ValidationError naming "group",
// "sort", "order", "offset" or "limit".
RecipientPageQuery parse_recipient_page_query(const QueryParam& param);

// The page asked for: recipients of a group, or the contacts skipped for
// their address; invitation dates from `portal`.
RecipientPage page_of(const Snapshot& snapshot, const Evaluation& evaluation, const RecipientPageQuery& query,
                      const PortalColumns& portal);

}  // namespace invites
