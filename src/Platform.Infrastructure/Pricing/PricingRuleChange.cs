namespace Platform.Infrastructure.Pricing;

/// <summary>Who makes a change to a pricing rule, for its audit entry: <c>key:&lt;id&gt;</c>, the request's trace id and the client address.</summary>
public sealed record PricingRuleChange(string Actor, string? TraceId, string? Ip = null);
