using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.FeedSimulator.Admin;
using Platform.FeedSimulator.Faults;
using Platform.FeedSimulator.Holds;
using Platform.FeedSimulator.Orders;
using Platform.FeedSimulator.Search;

namespace Platform.FeedSimulator.Hosting;

/// <summary>Source-generated serialization: pages are written thousands of times a second in benchmarks.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Stone))]
[JsonSerializable(typeof(DiamondCount))]
[JsonSerializable(typeof(DiamondPage))]
[JsonSerializable(typeof(HoldRequest))]
[JsonSerializable(typeof(HoldResponse))]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(OrderResponse))]
[JsonSerializable(typeof(MutationRequest))]
[JsonSerializable(typeof(MutationResponse))]
[JsonSerializable(typeof(ResetResponse))]
[JsonSerializable(typeof(AdminStats))]
[JsonSerializable(typeof(FaultRuleDefinition))]
[JsonSerializable(typeof(FaultRuleView))]
[JsonSerializable(typeof(FaultRuleList))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
