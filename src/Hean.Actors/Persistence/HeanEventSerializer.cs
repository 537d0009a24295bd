using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using Hean.Actors.Execution;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;

namespace Hean.Actors.Persistence;

/// <summary>
/// The serializer of everything HEAN persists: JSON with a stable string manifest per type
/// ("order-filled.v1"), never a CLR type name, so a class can move or be renamed without
/// orphaning the journal. A new schema gets a new manifest; old manifests stay readable.
/// </summary>
public sealed class HeanEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 7411;

    private static readonly (Type Type, string Manifest)[] Types =
    [
        (typeof(OrderCreated), "order-created.v1"),
        (typeof(OrderSubmitted), "order-submitted.v1"),
        (typeof(OrderAccepted), "order-accepted.v1"),
        (typeof(OrderRejected), "order-rejected.v1"),
        (typeof(OrderRevived), "order-revived.v1"),
        (typeof(OrderFilled), "order-filled.v1"),
        (typeof(OrderCancelRequested), "order-cancel-requested.v1"),
        (typeof(OrderCancelled), "order-cancelled.v1"),
        (typeof(OrderCancelRejected), "order-cancel-rejected.v1"),
        (typeof(OrderAmendRequested), "order-amend-requested.v1"),
        (typeof(OrderAmended), "order-amended.v1"),
        (typeof(OrderAmendRejected), "order-amend-rejected.v1"),
        // One symbol's orders (an order entity's snapshot); the global order manager of older versions wrote the same shape.
        (typeof(SymbolOrdersState), "orders-snapshot.v1"),
        (typeof(OrdersProtocol.OrdersImported), "orders-imported.v1"),
        (typeof(OrdersProtocol.OrderEntityStarted), "orders-index-entity-started.v1"),
        (typeof(JournalLayoutMigrated), "journal-layout-migrated.v1"),
        (typeof(FillBooked), "fill-booked.v1"),
        (typeof(FundingBooked), "funding-booked.v1"),
        (typeof(FillSequencesAdopted), "portfolio-fill-sequences-adopted.v1"),
        (typeof(EquitySampled), "equity-sampled.v1"),
        (typeof(PortfolioSnapshot), "portfolio-snapshot.v1"),
        (typeof(OrderRequestApproved), "risk-order-approved.v1"),
        (typeof(OrderRequestRejected), "risk-order-rejected.v1"),
        (typeof(TradingDayStarted), "risk-day-started.v1"),
        (typeof(EquityPeaked), "risk-equity-peaked.v1"),
        (typeof(KillSwitchEngaged), "kill-switch-engaged.v1"),
        (typeof(KillSwitchReleased), "kill-switch-released.v1"),
        (typeof(TradingStateChanged), "risk-trading-state-changed.v1"),
        (typeof(RiskSnapshot), "risk-snapshot.v1"),
        (typeof(ExecutionErrorRecorded), "risk-execution-error.v1"),
        (typeof(ExecutionErrorsCleared), "risk-execution-errors-cleared.v1"),
        (typeof(AlgoStarted), "algo-started.v1"),
        (typeof(SliceSent), "algo-slice-sent.v1"),
        (typeof(SliceFilled), "algo-slice-filled.v1"),
        (typeof(SliceClosed), "algo-slice-closed.v1"),
        (typeof(SliceCancelRequested), "algo-slice-cancel-requested.v1"),
        (typeof(AlgoCancelRequested), "algo-cancel-requested.v1"),
        (typeof(AlgoCompleted), "algo-completed.v1"),
        (typeof(AlgoCancelled), "algo-cancelled.v1"),
        (typeof(RlDecided), "algo-rl-decided.v1"),
        (typeof(AlgoProtocol.AlgoSnapshot), "algo-snapshot.v1"),
        (typeof(AlgoProtocol.AlgoRegistered), "router-algo-registered.v1"),
        (typeof(AlgoProtocol.AlgoEnded), "router-algo-ended.v1"),
        // An execution entity's snapshot: the same shape the router of older versions wrote for every symbol.
        (typeof(AlgoProtocol.RouterSnapshot), "router-snapshot.v1"),
        (typeof(AlgoProtocol.AlgosImported), "execution-algos-imported.v1"),
        (typeof(AlgoProtocol.ExecutionEntityStarted), "execution-index-entity-started.v1"),
        (typeof(ExecutionLayoutMigrated), "execution-layout-migrated.v1"),
        (typeof(Core.Trading.InstrumentSignalRecorded), "instrument-signal-recorded.v1"),
        (typeof(Core.Trading.InstrumentMemory), "instrument-snapshot.v1"),
    ];

    private static readonly Dictionary<Type, string> ManifestByType = Types.ToDictionary(t => t.Type, t => t.Manifest);
    private static readonly Dictionary<string, Type> TypeByManifest = Types.ToDictionary(t => t.Manifest, t => t.Type);

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        ManifestByType.TryGetValue(o.GetType(), out var m)
            ? m
            : throw new SerializationException($"HEAN does not persist {o.GetType().FullName}: it has no manifest");

    public override byte[] ToBinary(object obj) =>
        JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), HeanJson.Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!TypeByManifest.TryGetValue(manifest, out var type))
            throw new SerializationException($"unknown manifest '{manifest}' in the journal: is this an older HEAN reading a newer journal?");
        return JsonSerializer.Deserialize(bytes, type, HeanJson.Options)
               ?? throw new SerializationException($"'{manifest}' deserialized to null");
    }

    /// <summary>HOCON that binds this serializer to every persisted type.</summary>
    public static string Hocon =>
        $$"""
        akka.actor {
          serializers.hean = "{{typeof(HeanEventSerializer).AssemblyQualifiedName!.Split(", Version")[0]}}"
          serialization-bindings {
            {{string.Join("\n    ", Types.Select(t => $"\"{t.Type.FullName}, {t.Type.Assembly.GetName().Name}\" = hean"))}}
          }
        }
        """;
}
