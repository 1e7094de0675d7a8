"""The business rules of the review-service contract, without HTTP.

Each rule takes plain Python values: the :class:`~kiosk.simulator.store.Store` inside a transaction
the caller holds, the kiosk id the request is authenticated as, the decoded JSON body and the
service's clock reading. It returns the contract's object as a dict, or raises
:class:`~kiosk.simulator.problems.ApiError` (404, 409, 422 ...), which the HTTP layer
(:mod:`kiosk.simulator.routes`) renders as a problem. :class:`kiosk.simulator.service.ReviewService`
binds them to one store and clock.
"""
