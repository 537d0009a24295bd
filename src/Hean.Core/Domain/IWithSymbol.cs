namespace Hean.Core.Domain;

/// <summary>
/// A message addressed to one instrument, its orders or its algorithms: <see cref="Symbol"/> is its routing key, the id
/// of the entity that owns it (<c>orders-BTCUSDT</c>, <c>execution-BTCUSDT</c>). On one node a child-per-entity parent
/// routes by it; a shard region's message extractor would read the same key.
/// </summary>
public interface IWithSymbol
{
    Symbol Symbol { get; }
}
