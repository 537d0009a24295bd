using Hean.Core.Domain;
using Hean.Core.Exchange;

namespace Hean.FakeBybit;

/// <summary>Settings of the <see cref="FakeBybitServer"/>. Port 0 picks a free port.</summary>
public sealed record FakeBybitOptions
{
    public int Port { get; init; }
    public string ApiKey { get; init; } = "FAKEKEY0000000000001";
    public string ApiSecret { get; init; } = "fake-secret-for-unit-tests-only-0001";
    public InstrumentCatalog Instruments { get; init; } = InstrumentCatalog.Default;
    public SimulatedExchangeOptions Exchange { get; init; } = new();
    /// <summary>USDT in the unified account at start.</summary>
    public decimal InitialBalance { get; init; } = 100_000m;
    /// <summary>Leverage used for the margin check of new orders (notional / leverage must fit the available balance).</summary>
    public decimal Leverage { get; init; } = 10m;
    /// <summary>Per-endpoint limit of order create, amend and cancel per second (Bybit VIP0: 10).</summary>
    public int OrderWritesPerSecond { get; init; } = 10;
    public int QueriesPerSecond { get; init; } = 50;
    /// <summary>The server's clock runs this far ahead of the machine's (to test clock sync and 10002).</summary>
    public TimeSpan ClockOffset { get; init; }
    /// <summary>
    /// Symbols in hedge mode: each has a long leg (positionIdx 1) and a short leg (positionIdx 2), and every order must
    /// name the leg; the others are one-way (positionIdx 0) (https://bybit-exchange.github.io/docs/v5/order/create-order,
    /// https://bybit-exchange.github.io/docs/v5/position/position-mode).
    /// </summary>
    public IReadOnlySet<string> HedgeModeSymbols { get; init; } = new HashSet<string>();

    /// <summary>Write ASP.NET Core logs to the console (for a server started by hand).</summary>
    public bool ConsoleLogging { get; init; }
}
