using System.ComponentModel;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Api.Security;
using Platform.Infrastructure.Alerting;
using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Alerting.Notifications;
using Platform.Infrastructure.Alerting.Rules;
using Platform.Infrastructure.Security.Egress;

namespace Platform.Api.Apis.Alerts;

/// <summary>
/// Alert channels, rules and history (PLATFORM §9, ADR 0031), mapped twice with the same handlers: under
/// <c>/api/v1/alerts</c> an organization (scope <c>admin</c>) routes its own alerts (failed runs, skipped consolidations,
/// open upstream circuits of its feeds); under <c>/api/v1/admin/alerts</c> the operator (scope <c>platform:admin</c>) routes
/// platform-wide ones (queue health, and any kind for every organization). Each owner sees only its own; other ids are 404.
/// </summary>
public static class AlertsApi
{
    public const int DefaultHistoryLimit = 50;
    public const int MaxHistoryLimit = 200;

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder routes)
    {
        Map(routes.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireAuthorization(AuthenticationSetup.Admin), "", "`admin`");
        Map(routes.MapGroup("/api/v1/admin/alerts").WithTags("Admin").RequireAuthorization(PlatformAdminPolicy.Name), "Platform", "`platform:admin`");
        return routes;
    }

    private static void Map(RouteGroupBuilder api, string prefix, string scope)
    {
        api.RequireRateLimiting(RateLimitPolicies.Admin);
        var who = prefix.Length == 0 ? "the organization's" : "the platform-wide";
        api.MapGet("/channels", ListChannelsAsync).WithName($"List{prefix}AlertChannels")
            .WithSummary($"List {who} alert channels")
            .WithDescription($"Needs scope {scope}. Oldest first. Secrets (URL, routing key, SMTP password) are never returned: `secretHint` shows the last four characters of a long one. `lastDeliveredAt`, `lastFailedAt` and `lastFailure` tell whether the channel works.");
        api.MapPost("/channels", CreateChannelAsync).WithName($"Create{prefix}AlertChannel")
            .WithSummary($"Create {who.Replace("the ", "an ")} alert channel")
            .WithDescription($"""
                Needs scope {scope}. `kind` is `webhook` (generic JSON), `slack` or `teams` (incoming webhooks; each needs `url`, absolute
                http(s), at most {AlertRequestValidation.MaxUrlLength} characters), `pagerduty` (Events API v2; needs `routingKey`) or `email`
                (SMTP; needs `email` with `host`, `port` (default 587), `security` (`none`, `starttls` (default), `ssl`), optional `username` and
                `password`, `from` and 1–{AlertRequestValidation.MaxRecipients} `to` addresses). `name` 1–{AlertRequestValidation.MaxNameLength} characters.
                At most `Alerting:MaxChannelsPerOwner` (20) channels per owner. The URL and the SMTP host must be public: https only and no
                loopback, private, link-local or metadata addresses (400 `URL_NOT_ALLOWED`; `Security:Egress`).
                """)
            .ProducesErrors(ErrorCatalog.AlertLimitReached, ErrorCatalog.UrlNotAllowed);
        api.MapDelete("/channels/{id:guid}", DeleteChannelAsync).WithName($"Delete{prefix}AlertChannel")
            .WithSummary("Delete an alert channel")
            .WithDescription($"Needs scope {scope}. Rules stop notifying it at once; notifications already queued for it are dropped as it is gone.")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapPost("/channels/{id:guid}/test", TestChannelAsync).WithName($"Test{prefix}AlertChannel")
            .WithSummary("Send a test notification")
            .WithDescription($"Needs scope {scope}. Sends a notification of kind `test` now, through the channel's timeout and breaker, and answers whether it was delivered (`delivered`, `failure`). Nothing is retried or recorded in the history.")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapGet("/rules", ListRulesAsync).WithName($"List{prefix}AlertRules")
            .WithSummary($"List {who} alert rules")
            .WithDescription($"Needs scope {scope}. Oldest first.");
        api.MapPost("/rules", CreateRuleAsync).WithName($"Create{prefix}AlertRule")
            .WithSummary($"Create {who.Replace("the ", "an ")} alert rule")
            .WithDescription($"""
                Needs scope {scope}. Sends alerts of `kind` to `channelIds` (1–{AlertRequestValidation.MaxRuleChannels} channels of the same owner).
                Organization rules take `run_failed`, `consolidation_skipped` and `upstream_circuit_open` (their own runs and feeds); platform
                rules also `queue_depth`, `queue_oldest_message`, `no_progress` and `page_failure_rate`, and see every organization.
                `cooldownSeconds` ({AlertRequestValidation.MinCooldownSeconds}–{AlertRequestValidation.MaxCooldownSeconds}, default {AlertRequestValidation.DefaultCooldownSeconds}):
                the least time between notifications of one episode (at most `Alerting:MaxNotificationsPerEpisode`, 3, plus the resolution notice).
                At most `Alerting:MaxRulesPerOwner` (50) rules per owner.
                """)
            .ProducesErrors(ErrorCatalog.AlertLimitReached);
        api.MapDelete("/rules/{id:guid}", DeleteRuleAsync).WithName($"Delete{prefix}AlertRule")
            .WithSummary("Delete an alert rule")
            .WithDescription($"Needs scope {scope}. Deletes its history too; open episodes end without a resolution notice.")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapGet("/history", HistoryAsync).WithName($"List{prefix}AlertHistory")
            .WithSummary($"List {who} alert episodes")
            .WithDescription($"Needs scope {scope}. Newest first. Filters: `ruleId`, `status` (`firing` or `resolved`). `limit` 1–{MaxHistoryLimit} (default {DefaultHistoryLimit}); pass `nextBefore` as `before` for the next page.");
    }

    /// <summary>The owner the route acts for: the caller's organization, or the platform (null) on the admin routes.</summary>
    private static Guid? Owner(HttpContext context, ClaimsPrincipal user) =>
        context.Request.Path.StartsWithSegments("/api/v1/admin") ? null : user.OrgId();

    private static async Task<Ok<AlertChannelList>> ListChannelsAsync(HttpContext context, ClaimsPrincipal user, AlertChannelStore channels, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AlertChannelList((await channels.ListAsync(Owner(context, user), cancellationToken)).Select(AlertChannelView.Of).ToList()));

    private static async Task<Results<Created<AlertChannelView>, ProblemHttpResult>> CreateChannelAsync(
        CreateAlertChannelRequest request, HttpContext context, ClaimsPrincipal user, AlertChannelStore channels, IOptions<AlertingOptions> options,
        EgressGuard egress, CancellationToken cancellationToken)
    {
        var (valid, errors) = AlertRequestValidation.Channel(request);
        if (valid is null)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
        }
        // The platform posts to the URL and connects to the SMTP host: both must be public (ADR 0034).
        var refused = AlertChannelKinds.PostsToSecretUrl(valid.Kind) ? await EgressChecks.UrlAsync(egress, "url", valid.Secret, cancellationToken)
            : valid.Email is { } email ? await EgressChecks.HostAsync(egress, "email.host", email.Host, cancellationToken)
            : null;
        if (refused is not null)
        {
            return refused;
        }
        var max = options.Value.MaxChannelsPerOwner;
        var channel = await channels.CreateAsync(Owner(context, user), valid.Name, valid.Kind, valid.Email, valid.Secret, max, cancellationToken);
        if (channel is null)
        {
            return ApiProblem.Result(ErrorCatalog.AlertLimitReached, $"At most {max} alert channels per owner.");
        }
        return TypedResults.Created($"{context.Request.Path}/{channel.Id}", AlertChannelView.Of(channel));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteChannelAsync(
        [Description("The channel's id.")] Guid id, HttpContext context, ClaimsPrincipal user, AlertChannelStore channels, CancellationToken cancellationToken) =>
        await channels.DeleteAsync(Owner(context, user), id, cancellationToken) ? TypedResults.NoContent() : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Ok<AlertChannelTestResult>, ProblemHttpResult>> TestChannelAsync(
        [Description("The channel's id.")] Guid id, HttpContext context, ClaimsPrincipal user, AlertChannelStore channels, AlertChannelDelivery delivery,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (await channels.FindAsync(Owner(context, user), id, cancellationToken) is not { } channel)
        {
            return ApiProblem.Result(ErrorCatalog.NotFound);
        }
        var result = await delivery.DeliverAsync(channel, AlertNotice.ForTest(channel.Id, time.GetUtcNow()), cancellationToken);
        await channels.RecordDeliveryAsync(channel.Id, result.Failure, cancellationToken);
        return TypedResults.Ok(new AlertChannelTestResult(result.Delivered, result.Failure));
    }

    private static async Task<Ok<AlertRuleList>> ListRulesAsync(HttpContext context, ClaimsPrincipal user, AlertRuleStore rules, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AlertRuleList((await rules.ListAsync(Owner(context, user), cancellationToken)).Select(AlertRuleView.Of).ToList()));

    private static async Task<Results<Created<AlertRuleView>, ProblemHttpResult>> CreateRuleAsync(
        CreateAlertRuleRequest request, HttpContext context, ClaimsPrincipal user, AlertRuleStore rules, IOptions<AlertingOptions> options,
        CancellationToken cancellationToken)
    {
        var owner = Owner(context, user);
        var (valid, errors) = AlertRequestValidation.Rule(request, platformWide: owner is null);
        if (valid is null)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
        }
        var max = options.Value.MaxRulesPerOwner;
        var (outcome, rule) = await rules.CreateAsync(owner, valid.Name, valid.Kind, valid.CooldownSeconds, valid.Enabled, valid.ChannelIds, max, cancellationToken);
        return outcome switch
        {
            AlertRuleOutcome.LimitReached => ApiProblem.Result(ErrorCatalog.AlertLimitReached, $"At most {max} alert rules per owner."),
            AlertRuleOutcome.UnknownChannels => ApiProblem.Result(ErrorCatalog.ValidationFailed,
                fieldErrors: new Dictionary<string, string[]> { ["channelIds"] = ["Every id must be one of your alert channels (GET …/alerts/channels)."] }),
            _ => TypedResults.Created($"{context.Request.Path}/{rule!.Id}", AlertRuleView.Of(rule)),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRuleAsync(
        [Description("The rule's id.")] Guid id, HttpContext context, ClaimsPrincipal user, AlertRuleStore rules, CancellationToken cancellationToken) =>
        await rules.DeleteAsync(Owner(context, user), id, cancellationToken) ? TypedResults.NoContent() : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Ok<AlertHistoryPage>, ProblemHttpResult>> HistoryAsync(
        HttpContext context, ClaimsPrincipal user, AlertHistoryQueries history,
        [Description("Only episodes of this rule.")] Guid? ruleId,
        [Description("`firing` or `resolved`.")] string? status,
        [Description("Only episodes with a smaller id (the previous page's `nextBefore`).")] long? before,
        [Description($"Page size, 1–200 (default 50).")] int? limit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not (null or "firing" or "resolved"))
        {
            errors["status"] = ["Must be 'firing' or 'resolved'."];
        }
        if (before is < 1)
        {
            errors["before"] = ["Must be a positive episode id."];
        }
        var size = limit ?? DefaultHistoryLimit;
        if (size is < 1 or > MaxHistoryLimit)
        {
            errors["limit"] = [$"Must be between 1 and {MaxHistoryLimit}."];
        }
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        var items = await history.ListAsync(Owner(context, user), ruleId, status, before, size, cancellationToken);
        return TypedResults.Ok(new AlertHistoryPage(items.Select(AlertEventItem.Of).ToList(), items.Count == size ? items[^1].Id : null));
    }
}
