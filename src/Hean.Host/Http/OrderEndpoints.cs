using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using Hean.Actors.Execution;
using Hean.Actors.Persistence;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Hean.Core.Risk;
using Hean.Actors.Portfolio;
using Hean.Host.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hean.Host.Http;

/// <summary>
/// Operator orders over the management API: a parent order worked by an execution algorithm (market, limit, TWAP,
/// iceberg, smart), and views of the running algorithms. An operator order skips the strategy but not the kill switch
/// or the trading state (refused while the kill switch is engaged or trading is not ACTIVE), nor the risk governor's
/// pre-trade review of its full quantity.
/// </summary>
public static class OrderEndpoints
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static void MapOrderApi(this IEndpointRouteBuilder app, Func<RunContext?> context)
    {
        var json = new JsonSerializerOptions(HeanJson.Options) { WriteIndented = true };

        app.MapPost("/api/orders", async (HttpRequest request) =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            var q = request.Query;
            OrderRequest order;
            AlgoSpec algo;
            try
            {
                (order, algo) = Parse(q["symbol"], q["side"], q["qty"], q["price"], q["algo"], q["horizon"], q["slices"], q["visible"],
                    q["urgency"], q["reprice"], q["id"]);
            }
            catch (ArgumentException e)
            {
                return Results.Json(new { error = e.Message }, json, statusCode: 400);
            }
            var risk = await c.Refs.Risk.Ask<RiskProtocol.RiskView>(new RiskProtocol.GetRiskState(), Timeout);
            if (risk.State.KillSwitchEngaged)
                return Results.Json(new { error = "the kill switch is engaged: " + risk.State.KillSwitchReason }, json, statusCode: 409);
            if (risk.State.EffectiveState != Core.Risk.TradingState.Active)
                return Results.Json(new { error = $"trading is {risk.State.EffectiveState.ToString().ToLowerInvariant()}: operator orders need ACTIVE" }, json, statusCode: 409);
            var venue = await c.Refs.Gateway.Ask<ExecutionProtocol.VenueState>(new ExecutionProtocol.GetVenueState(), Timeout);
            var now = venue.LastMarketTime == default ? DateTime.UtcNow : venue.LastMarketTime;

            // The operator skips the strategy and the sizing, not the pre-trade checks: the same review as every order
            // (instrument rules, max notional and position, leverage, concentration, price band, reduce-only, margin).
            var portfolio = (await c.Refs.Portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), Timeout)).State;
            var quote = await c.Refs.Gateway.Ask<MarketQuote>(new ExecutionProtocol.GetQuote(order.Symbol), Timeout);
            var mark = quote.Mid ?? portfolio.MarkOf(order.Symbol);
            if ((order.Price ?? mark) is not { } price || price <= 0)
                return Results.Json(new { error = $"no price known for {order.Symbol} yet: wait for market data or give a limit price" }, json, statusCode: 409);
            var preTrade = new PreTradeContext(order, price, portfolio, now)
            {
                Instrument = c.Catalog.TryGet(order.Symbol, out var instrument) ? instrument : null,
                Mid = mark,
                OpenOrders = venue.OpenOrders.Count,
                OpenOrdersNotional = venue.OpenOrders.Sum(o => o.Qty * (o.Price ?? portfolio.MarkOf(o.Symbol) ?? 0m)),
            };
            var notional = order.Qty * price;
            var review = await c.Refs.Risk.Ask(new RiskProtocol.ReviewOrder(preTrade, new SizingDecision(notional, null, null, notional, "operator")), Timeout);
            if (review is RiskProtocol.OrderRejected rejected)
                return Results.Json(new { id = order.ClientOrderId.Value, error = $"rejected by risk: {rejected.ReasonCode}: {rejected.Detail}" }, json, statusCode: 422);
            // The origin names the operator's token: the order's audit trail says who sent it.
            var origin = "operator/" + Security.ApiGuard.Caller(request.HttpContext).Name;
            var answer = await c.Refs.Execution.Ask(new ExecutionProtocol.ExecuteOrder(order, origin, null, now, Algo: algo), Timeout);
            return answer switch
            {
                ExecutionProtocol.ExecutionStarted s => Results.Json(new { id = s.ClientOrderId.Value, algo = algo.Name, status = "started" }, json),
                ExecutionProtocol.ExecutionFailed f => Results.Json(new { id = f.ClientOrderId.Value, error = f.Reason }, json, statusCode: 400),
                _ => Results.Json(new { error = "unexpected answer " + answer.GetType().Name }, json, statusCode: 500),
            };
        });
        // Amend one working order at the venue (an algorithm's child or any open order): new quantity and/or price.
        app.MapPost("/api/orders/{id}/amend", async (string id, HttpRequest request) =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            if (!IsClientOrderId(id)) return Results.Json(new { error = $"'{id}' is not an order id" }, json, statusCode: 400);
            decimal? Positive(string name)
            {
                var text = request.Query[name].ToString();
                if (text.Length == 0) return null;
                return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && v > 0
                    ? v : throw new ArgumentException($"{name} must be a positive number, got '{text}'");
            }
            decimal? qty, price;
            try
            {
                (qty, price) = (Positive("qty"), Positive("price"));
                if (qty is null && price is null) throw new ArgumentException("give qty and/or price to amend");
            }
            catch (ArgumentException e)
            {
                return Results.Json(new { error = e.Message }, json, statusCode: 400);
            }
            var result = await c.Refs.Execution.Ask<ExecutionProtocol.AmendResult>(new ExecutionProtocol.AmendOrder(new ClientOrderId(id), qty, price), Timeout);
            return result.Amended
                ? Results.Json(new { id, status = "amended", qty, price }, json)
                : Results.Json(new { id, error = result.Error ?? "not amended" }, json, statusCode: 409);
        });
        // Cancel a parent (its algorithm stops and cancels its children) or one working order.
        app.MapPost("/api/orders/{id}/cancel", async (string id, HttpRequest request) =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            if (!IsClientOrderId(id)) return Results.Json(new { error = $"'{id}' is not an order id" }, json, statusCode: 400);
            var text = request.Query["reason"].ToString() is { Length: > 0 } r ? r : "operator cancel";
            if (ApiInput.Reason(text) is { } bad) return Results.Json(new { error = bad }, json, statusCode: 400);
            var reason = $"{text} (by {Security.ApiGuard.Caller(request.HttpContext).Name})";
            var result = await c.Refs.Execution.Ask<ExecutionProtocol.CancelResult>(new ExecutionProtocol.CancelOrder(new ClientOrderId(id), reason), Timeout);
            return result.Sent
                ? Results.Json(new { id, status = "cancel requested" }, json)
                : Results.Json(new { id, error = result.Error ?? "not cancelled" }, json, statusCode: 409);
        });
        app.MapGet("/api/algos", async () =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            var active = await c.Refs.Execution.Ask<ExecutionProtocol.ActiveAlgos>(new ExecutionProtocol.GetActiveAlgos(), Timeout);
            return Results.Json(new { active = active.ParentIds.Select(i => i.Value).ToList() }, json);
        });
        app.MapGet("/api/algos/{id}", async (string id) =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            if (!IsClientOrderId(id)) return Results.Json(new { error = $"'{id}' is not an order id" }, json, statusCode: 400);
            var view = await c.Refs.Execution.Ask<ExecutionProtocol.AlgoView>(new ExecutionProtocol.GetAlgo(new ClientOrderId(id)), Timeout);
            if (view.State is not { } s) return Results.Json(new { error = $"no algorithm {id} is running or recently finished" }, json, statusCode: 404);
            return Results.Json(new
            {
                id = s.ParentId.Value,
                algo = s.Spec.Name,
                status = s.Status.ToString().ToLowerInvariant(),
                symbol = s.Parent.Symbol.Value,
                side = s.Parent.Side.ToString().ToLowerInvariant(),
                qty = s.Parent.Qty,
                filled = s.Filled,
                working = s.Working,
                avg_price = s.AvgPrice,
                children = s.Children.Count,
                open_children = s.Children.Where(ch => ch.IsOpen).Select(ch => new { id = ch.Id.Value, qty = ch.Qty, price = ch.Price }).ToList(),
                reason = s.Reason,
                shortfall_bps = s.Quality?.ShortfallBps,
            }, json);
        });
    }

    private static bool IsClientOrderId(string id) => id.Length is > 0 and <= 36 && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_');

    /// <summary>The parent order and its algorithm from the request's text; ArgumentException with a clear message otherwise.</summary>
    public static (OrderRequest Order, AlgoSpec Algo) Parse(string? symbol, string? side, string? qty, string? price, string? algo, string? horizon,
        string? slices, string? visible, string? urgency, string? reprice, string? id)
    {
        if (string.IsNullOrWhiteSpace(symbol) || symbol.Length > 32 || !symbol.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException("symbol: give one, e.g. BTCUSDT");
        var s = side?.ToLowerInvariant() switch
        {
            "buy" => Side.Buy,
            "sell" => Side.Sell,
            _ => throw new ArgumentException($"side must be buy or sell, got '{side}'"),
        };
        var q = Positive(qty, "qty") ?? throw new ArgumentException("qty: give a positive quantity");
        var p = Positive(price, "price");
        var repriceAfter = reprice is { Length: > 0 } r ? Duration(r, "reprice") : TimeSpan.FromSeconds(10);
        AlgoSpec spec = (algo ?? "market").ToLowerInvariant() switch
        {
            "market" => new MarketAlgo(),
            "limit" => new LimitAlgo(repriceAfter),
            "twap" => new TwapAlgo(horizon is { Length: > 0 } h ? Duration(h, "horizon") : throw new ArgumentException("twap needs --horizon, e.g. 2m"),
                slices is { Length: > 0 } n ? Count(n) : 10),
            "iceberg" => new IcebergAlgo(Positive(visible, "visible") ?? throw new ArgumentException("iceberg needs --visible, the quantity shown"), repriceAfter),
            "smart" => new SmartAlgo(urgency?.ToLowerInvariant() switch
            {
                null or "" or "normal" => Urgency.Normal,
                "low" => Urgency.Low,
                "high" => Urgency.High,
                _ => throw new ArgumentException($"urgency must be low, normal or high, got '{urgency}'"),
            }),
            _ => throw new ArgumentException($"algo must be market, limit, twap, iceberg or smart, got '{algo}'"),
        };
        var clientId = id is { Length: > 0 } given ? given : "op" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        if (!IsClientOrderId(clientId) || clientId.Length > AlgoState.MaxParentIdLength)
            throw new ArgumentException($"id must be 1-{AlgoState.MaxParentIdLength} of A-Z a-z 0-9 - _, got '{clientId}'");
        var type = p is null ? OrderType.Market : OrderType.Limit;
        return (new OrderRequest(new ClientOrderId(clientId), new Symbol(symbol.ToUpperInvariant()), s, type, q, p), spec);
    }

    private static decimal? Positive(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) || v <= 0)
            throw new ArgumentException($"{name} must be a positive number, got '{DisplayText.Printable(text, 40)}'");
        // Within the domain limits, so the notional and every sum over it stay representable (no 500 for 7.9e28).
        var problem = name == "price" ? DomainLimits.PriceProblem(v) : DomainLimits.QuantityProblem(v);
        if (problem is not null) throw new ArgumentException($"{name}: {problem}");
        return v;
    }

    /// <summary>A duration option ("90s", "2m"); a bad one is the caller's error (400, exit 2), like every other option.</summary>
    private static TimeSpan Duration(string text, string name)
    {
        try
        {
            return Durations.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{name}: {e.Message}", e);
        }
    }

    private static int Count(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1000
            ? n
            : throw new ArgumentException($"slices must be 1..1000, got '{text}'");
}
