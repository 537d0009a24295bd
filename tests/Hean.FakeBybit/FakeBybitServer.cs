using System.Net;
using Hean.Bybit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hean.FakeBybit;

/// <summary>
/// A Bybit V5 look-alike on 127.0.0.1: REST under <see cref="RestUrl"/>, WebSockets at <see cref="PublicWsUrl"/> and
/// <see cref="PrivateWsUrl"/>. Tests start it in-process on port 0 and dispose it; <c>dotnet run --project
/// tests/Hean.FakeBybit</c> starts one by hand. Market data is whatever is published into <see cref="Venue"/>.
/// </summary>
public sealed class FakeBybitServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeRestApi _rest;

    private FakeBybitServer(WebApplication app, FakeVenue venue, Faults faults, FakeRestApi rest, FakeBybitOptions options, int port)
    {
        _app = app;
        _rest = rest;
        Venue = venue;
        Faults = faults;
        Options = options;
        RestUrl = new Uri($"http://127.0.0.1:{port}");
        PublicWsUrl = new Uri($"ws://127.0.0.1:{port}/v5/public/linear");
        PrivateWsUrl = new Uri($"ws://127.0.0.1:{port}/v5/private");
    }

    public Uri RestUrl { get; }
    public Uri PublicWsUrl { get; }
    public Uri PrivateWsUrl { get; }
    public FakeVenue Venue { get; }
    public Faults Faults { get; }
    public FakeBybitOptions Options { get; }
    public BybitCredentials Credentials => new(Options.ApiKey, Options.ApiSecret);

    /// <summary>Requests that reached a REST path (refused ones included).</summary>
    public long RestCalls(string path) => _rest.CallsTo(path);

    /// <summary>The query strings of the GET requests that reached a REST path, in arrival order (what a client asked for).</summary>
    public IReadOnlyList<string> RestQueries(string path) => _rest.QueriesTo(path);

    public static async Task<FakeBybitServer> StartAsync(FakeBybitOptions? options = null, CancellationToken ct = default)
    {
        options ??= new FakeBybitOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging) builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        var app = builder.Build();
        var faults = new Faults();
        var venue = new FakeVenue(options, faults);
        faults.DropConnectionsRequested += venue.DropConnections;
        faults.HeldExecutionsReleased += venue.ReleaseHeldExecutions;
        var rest = new FakeRestApi(venue, faults, options);
        var ws = new FakeWebSocketEndpoint(venue, faults, options);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        rest.Map(app);
        app.Map("/v5/public/{category}", ctx => ws.HandleAsync(ctx, isPrivate: false));
        app.Map("/v5/private", ctx => ws.HandleAsync(ctx, isPrivate: true));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new FakeBybitServer(app, venue, faults, rest, options, port);
    }

    public async ValueTask DisposeAsync()
    {
        Venue.DropConnections();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
