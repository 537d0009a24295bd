using System.Threading.Channels;
using Hean.Bybit.Rest;
using Hean.FakeBybit;

namespace Hean.Bybit.Tests;

/// <summary>A fresh fake Bybit per test class instance, with a BTCUSDT book around 60,000.</summary>
public abstract class FakeBybitTest : IAsyncLifetime
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected FakeBybitServer Fake { get; private set; } = null!;

    protected virtual FakeBybitOptions Options => new();

    public async Task InitializeAsync()
    {
        Fake = await FakeBybitServer.StartAsync(Options);
        Fake.Venue.PublishBook("BTCUSDT", [(60_000.0m, 1m), (59_999.9m, 2m)], [(60_000.1m, 1m), (60_000.2m, 2m)]);
    }

    public async Task DisposeAsync() => await Fake.DisposeAsync();

    protected BybitRestClient Client(Func<BybitRestOptions, BybitRestOptions>? tweak = null, BybitCredentials? credentials = null)
    {
        var options = new BybitRestOptions
        {
            BaseUrl = Fake.RestUrl,
            Credentials = credentials ?? Fake.Credentials,
            RequestTimeout = TimeSpan.FromSeconds(3),
            Retry = new RetryPolicy(4, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
        };
        return new BybitRestClient(tweak is null ? options : tweak(options));
    }

    /// <summary>The next item of the wanted type, skipping others; fails after <see cref="Wait"/>.</summary>
    protected static async Task<T> Next<T>(ChannelReader<T> reader, Func<T, bool>? where = null)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            var item = await reader.ReadAsync(cts.Token);
            if (where is null || where(item)) return item;
        }
    }

    protected static async Task<TWanted> Next<TBase, TWanted>(ChannelReader<TBase> reader, Func<TWanted, bool>? where = null) where TWanted : TBase
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            if (await reader.ReadAsync(cts.Token) is TWanted item && (where is null || where(item))) return item;
        }
    }

    protected static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
