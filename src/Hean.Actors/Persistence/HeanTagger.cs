using Akka.Persistence.Journal;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;

namespace Hean.Actors.Persistence;

/// <summary>
/// Tags the journal events that projections follow with EventsByTag: every order event
/// <c>order</c>, a booked fill <c>fill</c>, an equity sample <c>pnl</c>, every risk event <c>risk</c>.
/// A write-side event adapter, so the actors stay unaware of tags and every backend (SQLite and
/// PostgreSQL through Akka.Persistence.Sql's tag table, our Redis journal's tag lists) gets the same tags.
/// </summary>
public sealed class HeanTagger : IWriteEventAdapter
{
    public const string Order = "order", Fill = "fill", Pnl = "pnl", Risk = "risk";

    public static readonly IReadOnlyList<string> All = [Order, Fill, Pnl, Risk];

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) => TagsOf(evt) is { Length: > 0 } tags ? new Tagged(evt, tags) : evt;

    /// <summary>The tags of one event (none for what no projection needs, e.g. algorithm state).</summary>
    public static string[] TagsOf(object evt) => evt switch
    {
        IOrderEvent => [Order],
        FillBooked => [Fill],
        EquitySampled => [Pnl],
        IRiskEvent => [Risk],
        _ => [],
    };

    /// <summary>HOCON that binds the tagger to the persisted event families of one journal plugin.</summary>
    public static string Hocon(string journalPluginPath) =>
        $$"""
        {{journalPluginPath}} {
          event-adapters.hean-tags = "{{typeof(HeanTagger).FullName}}, {{typeof(HeanTagger).Assembly.GetName().Name}}"
          event-adapter-bindings {
            "{{typeof(IOrderEvent).FullName}}, {{typeof(IOrderEvent).Assembly.GetName().Name}}" = hean-tags
            "{{typeof(IPortfolioEvent).FullName}}, {{typeof(IPortfolioEvent).Assembly.GetName().Name}}" = hean-tags
            "{{typeof(IRiskEvent).FullName}}, {{typeof(IRiskEvent).Assembly.GetName().Name}}" = hean-tags
          }
        }
        """;
}
