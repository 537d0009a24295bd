using System.CommandLine;
using Hean.Host.Commands.Display;

namespace Hean.Host.Commands;

/// <summary>
/// `hean order submit|algo|algos`: operator orders against a running node's management API. A parent order is worked by
/// an execution algorithm (persisted, resumed after a restart): e.g.
/// `hean order submit --symbol BTCUSDT --side buy --qty 0.5 --algo twap --horizon 2m --slices 8`.
/// </summary>
public static class OrderCommand
{
    public static Command Create()
    {
        var node = NodeClient.Options();
        var symbol = new Option<string>("--symbol") { Description = "e.g. BTCUSDT", Required = true };
        var side = new Option<string>("--side") { Description = "buy or sell", Required = true };
        var qty = new Option<string>("--qty") { Description = "parent quantity (base currency)", Required = true };
        var price = new Option<string?>("--price") { Description = "limit price of the parent (none: market)" };
        var algo = new Option<string>("--algo") { Description = "market, limit, twap, iceberg or smart", DefaultValueFactory = _ => "market" };
        var horizon = new Option<string?>("--horizon") { Description = "twap: the time to spread the slices over, e.g. 2m" };
        var slices = new Option<string?>("--slices") { Description = "twap: number of slices (default 10)" };
        var visible = new Option<string?>("--visible") { Description = "iceberg: the quantity shown at a time" };
        var urgency = new Option<string?>("--urgency") { Description = "smart: low, normal or high" };
        var reprice = new Option<string?>("--reprice") { Description = "limit/iceberg: re-price after the touch moved away this long (default 10s)" };
        var id = new Option<string?>("--id") { Description = "client order id of the parent (default: generated); a retry with the same id is refused, never doubled" };
        var submit = new Command("submit", "send a parent order worked by an execution algorithm") { symbol, side, qty, price, algo, horizon, slices, visible, urgency, reprice, id };
        submit.SetAction(async (r, ct) =>
        {
            string query;
            try
            {
                // Checked here too, so a typo never reaches the node.
                Http.OrderEndpoints.Parse(r.GetValue(symbol), r.GetValue(side), r.GetValue(qty), r.GetValue(price), r.GetValue(algo), r.GetValue(horizon),
                    r.GetValue(slices), r.GetValue(visible), r.GetValue(urgency), r.GetValue(reprice), r.GetValue(id) ?? "check");
                var parts = new (string Name, string? Value)[]
                {
                    ("symbol", r.GetValue(symbol)), ("side", r.GetValue(side)), ("qty", r.GetValue(qty)), ("price", r.GetValue(price)),
                    ("algo", r.GetValue(algo)), ("horizon", r.GetValue(horizon)), ("slices", r.GetValue(slices)), ("visible", r.GetValue(visible)),
                    ("urgency", r.GetValue(urgency)), ("reprice", r.GetValue(reprice)), ("id", r.GetValue(id)),
                };
                query = string.Join("&", parts.Where(p => p.Value is { Length: > 0 }).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync("error: " + e.Message);
                return Program.BadInput;
            }
            return await node.Call(r, HttpMethod.Post, "/api/orders?" + query, AnswerView.Render, ct);
        });
        var algoId = new Argument<string>("id") { Description = "the parent's client order id" };
        var show = new Command("algo", "state of a running or recently finished algorithm") { algoId };
        show.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Get, "/api/algos/" + Uri.EscapeDataString(r.GetValue(algoId)!), AnswerView.Render, ct));
        var list = new Command("algos", "the running algorithms");
        list.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Get, "/api/algos", AnswerView.Render, ct));

        var cancelId = new Argument<string>("id") { Description = "a parent's client order id (its algorithm stops and cancels its children) or one working order's" };
        var reason = new Option<string?>("--reason") { Description = "why, for the audit trail (default: operator cancel)" };
        var cancel = new Command("cancel", "cancel a parent order or one working order") { cancelId, reason };
        cancel.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Post,
            $"/api/orders/{Uri.EscapeDataString(r.GetValue(cancelId)!)}/cancel" + (r.GetValue(reason) is { Length: > 0 } why ? "?reason=" + Uri.EscapeDataString(why) : ""), AnswerView.Render, ct));

        var amendId = new Argument<string>("id") { Description = "a working order's client order id" };
        var newPrice = new Option<string?>("--price") { Description = "the new limit price" };
        var newQty = new Option<string?>("--qty") { Description = "the new quantity" };
        var amend = new Command("amend", "change a working order's price and/or quantity at the venue (in place, never placed twice)") { amendId, newPrice, newQty };
        amend.SetAction(async (r, ct) =>
        {
            var parts = new[] { ("price", r.GetValue(newPrice)), ("qty", r.GetValue(newQty)) }.Where(p => p.Item2 is { Length: > 0 }).ToList();
            if (parts.Count == 0)
            {
                await Console.Error.WriteLineAsync("error: give --price and/or --qty to amend");
                return Program.BadInput;
            }
            return await node.Call(r, HttpMethod.Post, $"/api/orders/{Uri.EscapeDataString(r.GetValue(amendId)!)}/amend?" +
                string.Join("&", parts.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}")), AnswerView.Render, ct);
        });
        foreach (var command in new[] { submit, show, list, cancel, amend }) node.AddTo(command);
        return new Command("order", "operator orders: parent orders worked by execution algorithms, cancel and amend") { submit, show, list, cancel, amend };
    }
}
