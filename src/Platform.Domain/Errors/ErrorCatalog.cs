namespace Platform.Domain.Errors;

/// <summary>
/// Every error Platform reports, shared by REST (problem+json <c>code</c>), GraphQL (<c>extensions.code</c>)
/// and worker failure records. Codes never change once published.
/// </summary>
public static class ErrorCatalog
{
    public static readonly ErrorDefinition Unauthorized = new("UNAUTHORIZED", 401, "Authentication required",
        "Send a valid API key in the X-API-Key header (or as 'Authorization: Bearer <key>').");

    public static readonly ErrorDefinition Forbidden = new("FORBIDDEN", 403, "Not allowed",
        "The API key lacks the scope this operation needs; create a key with that scope.");

    public static readonly ErrorDefinition NotFound = new("NOT_FOUND", 404, "Not found",
        "Check the id; resources of other organizations are never visible.");

    public static readonly ErrorDefinition RouteNotFound = new("ROUTE_NOT_FOUND", 404, "No such endpoint",
        "Check the path and method against the API reference at /docs.");

    public static readonly ErrorDefinition ValidationFailed = new("VALIDATION_FAILED", 400, "The request is not valid",
        "Correct the fields listed in 'errors' and send the request again.");

    public static readonly ErrorDefinition UnsupportedMediaType = new("UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported content type",
        "Send the body as JSON with 'Content-Type: application/json'.");

    public static readonly ErrorDefinition PayloadTooLarge = new("PAYLOAD_TOO_LARGE", 413, "Request body too large",
        "Send a smaller body; 'detail' gives the limit. Split large batches into several requests.");

    public static readonly ErrorDefinition RateLimited = new("RATE_LIMITED", 429, "Too many requests",
        "Wait the number of seconds in Retry-After; the RateLimit and RateLimit-Policy headers show the budget and when it frees up.");

    public static readonly ErrorDefinition Internal = new("INTERNAL_ERROR", 500, "Unexpected error",
        "Retry later; if it persists, report the traceId to the operator.");

    public static readonly ErrorDefinition ServiceUnavailable = new("SERVICE_UNAVAILABLE", 503, "Temporarily unavailable",
        "A dependency is down; retry after the interval in Retry-After.");

    public static readonly ErrorDefinition RunAlreadyActive = new("RUN_ALREADY_ACTIVE", 409, "A run of this feed is active",
        "Wait for the active run to finish (GET /api/v1/runs?feedId=…), or cancel it, then start another.");

    public static readonly ErrorDefinition FeedDisabled = new("FEED_DISABLED", 409, "The feed is disabled",
        "Enable the feed before starting a run.");

    public static readonly ErrorDefinition RunStateConflict = new("RUN_STATE_CONFLICT", 409, "The run cannot do that now",
        "Check the run's status (GET /api/v1/runs/{id}); 'detail' says what it is waiting for.");

    public static readonly ErrorDefinition CapacityExceeded = new("CAPACITY_EXCEEDED", 429, "Run capacity exceeded",
        "Every running and queued run slot of your organization is taken ('running', 'queued' and the limits are in the body); start the run when one finishes, or ask for a higher plan.");

    public static readonly ErrorDefinition InvalidCursor = new("INVALID_CURSOR", 400, "The cursor is not valid",
        "Pass the previous page's nextCursor unchanged, with the same filters and sort; after changing them, start again without a cursor.");

    public static readonly ErrorDefinition DiamondNotAvailable = new("DIAMOND_NOT_AVAILABLE", 409, "The diamond is not available",
        "The stone is held or sold ('detail' says which when known); search again for available stones.");

    public static readonly ErrorDefinition ReservationsNotSupported = new("RESERVATIONS_NOT_SUPPORTED", 409, "The supplier takes no holds or orders here",
        "Hold or buy this stone with its supplier directly; 'detail' names the feed kind.");

    public static readonly ErrorDefinition SupplierUnavailable = new("SUPPLIER_UNAVAILABLE", 503, "The supplier did not answer",
        "Nothing was held or bought. Retry after Retry-After; a purchase retry must send the same Idempotency-Key.");

    public static readonly ErrorDefinition IdempotencyKeyReused = new("IDEMPOTENCY_KEY_REUSED", 422, "The Idempotency-Key was used for another request",
        "Send a new Idempotency-Key for a new purchase; resend the original body to read the original result.");

    public static readonly ErrorDefinition PurchaseInProgress = new("PURCHASE_IN_PROGRESS", 409, "A purchase with this Idempotency-Key is in progress",
        "Retry after Retry-After with the same key and body to read its result.");

    public static readonly ErrorDefinition MethodNotAllowed = new("METHOD_NOT_ALLOWED", 405, "Method not allowed",
        "Use a method listed in the Allow header; GraphQL mutations only run over POST.");

    public static readonly ErrorDefinition GraphQlParseFailed = new("GRAPHQL_PARSE_FAILED", 400, "The GraphQL document does not parse",
        "Fix the syntax at the line and column given in 'locations'.");

    public static readonly ErrorDefinition GraphQlValidationFailed = new("GRAPHQL_VALIDATION_FAILED", 400, "The GraphQL document is not valid",
        "Check the fields, arguments, variables and depth against docs/api/schema.graphql and the limits in docs/api/graphql.md.");

    public static readonly ErrorDefinition GraphQlTooComplex = new("GRAPHQL_TOO_COMPLEX", 400, "The GraphQL document is too complex",
        "Ask for fewer items ('first') or fewer nested fields, or split the query; 'extensions.complexity' and 'extensions.maxComplexity' give the computed and the allowed numbers.");

    public static readonly ErrorDefinition ApiKeyInactive = new("API_KEY_INACTIVE", 409, "The API key is revoked or expired",
        "Only an active key can be rotated; create a new key instead (POST /api/v1/api-keys).");

    public static readonly ErrorDefinition ApiKeyLimitReached = new("API_KEY_LIMIT_REACHED", 409, "Too many API keys",
        "Revoke keys you no longer use (DELETE /api/v1/api-keys/{id}); 'detail' gives the limit.");

    public static readonly ErrorDefinition FeedLimitReached = new("FEED_LIMIT_REACHED", 409, "The organization has as many feeds as its plan allows",
        "Reuse an existing feed (PATCH /api/v1/feeds/{id}) or ask the operator for a higher plan; 'maxFeeds' gives the limit.");

    public static readonly ErrorDefinition FeedNameTaken = new("FEED_NAME_TAKEN", 409, "Another feed of the organization has this name",
        "Choose another name; feed names are unique within an organization.");

    public static readonly ErrorDefinition AlertLimitReached = new("ALERT_LIMIT_REACHED", 409, "Too many alert channels or rules",
        "Delete channels or rules you no longer use (DELETE /api/v1/alerts/channels/{id} or …/rules/{id}); 'detail' gives the limit.");

    public static readonly ErrorDefinition UrlNotAllowed = new("URL_NOT_ALLOWED", 400, "The platform does not call this URL",
        "Use a public https URL without user info; loopback, private, link-local (incl. cloud metadata) and other internal addresses are refused ('errors' names the field).");

    public static IReadOnlyList<ErrorDefinition> All { get; } =
        [Unauthorized, Forbidden, NotFound, RouteNotFound, ValidationFailed, UnsupportedMediaType, PayloadTooLarge, RateLimited, Internal, ServiceUnavailable,
         RunAlreadyActive, FeedDisabled, RunStateConflict, CapacityExceeded, InvalidCursor, MethodNotAllowed, GraphQlParseFailed, GraphQlValidationFailed,
         DiamondNotAvailable, ReservationsNotSupported, SupplierUnavailable, IdempotencyKeyReused, PurchaseInProgress, GraphQlTooComplex,
         ApiKeyInactive, ApiKeyLimitReached, FeedLimitReached, FeedNameTaken, AlertLimitReached,
         UrlNotAllowed];
}
