using Hean.Core.Domain;
using System.CommandLine;
using Hean.Host.Security;

namespace Hean.Host.Commands;

/// <summary>
/// `hean token new|path|rotate|add|list|remove`: the management API's tokens in a node's data folder. The main
/// (operator) token is the file api-token; named tokens with a role are kept as hashes, so `add` shows a new token
/// once and never again. A running node reads both files again when they change: a rotation or a removal takes
/// effect at its next request.
/// </summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "the node's data folder; default HEAN_DATA_DIR or ./.hean" };

        var fresh = new Command("new", "print a new random token (256 bits), e.g. for HEAN_TOKEN in a deployment's .env");
        fresh.SetAction(_ =>
        {
            Console.WriteLine(ApiTokens.NewToken());
            return Program.Ok;
        });

        var path = new Command("path", "where the node's operator token is (the file the hean commands read)") { dataDir };
        path.SetAction(r =>
        {
            var file = Path.Combine(LocalNode.DataDir(r.GetValue(dataDir)), ApiTokens.TokenFile);
            Console.WriteLine(file);
            if (File.Exists(file)) return Program.Ok;
            Console.Error.WriteLine("error: no token there yet: `hean run` creates it at its first start (or `hean token rotate` now)");
            return Program.BadInput;
        });

        var rotate = new Command("rotate", "replace the operator token; the old one stops working at the node's next request") { dataDir };
        rotate.SetAction(r => LocalNode.Run(() =>
        {
            var file = Path.Combine(LocalNode.DataDir(r.GetValue(dataDir)), ApiTokens.TokenFile);
            OwnerOnly.WriteAllText(file, ApiTokens.NewToken() + "\n");
            Console.WriteLine($"new operator token written to {file} (mode 0600); the hean commands in this folder use it");
            return Program.Ok;
        }));

        var name = new Argument<string>("name") { Description = "who or what uses the token (recorded as the author of what it does), e.g. alice, grafana" };
        var role = new Option<string>("--role") { Description = "viewer (read-only) or operator (kill switch, trading state, orders, feed)", Required = true };
        var add = new Command("add", "create a named token with a role and print it (once: only its hash is kept)") { name, role, dataDir };
        add.SetAction(r => LocalNode.Run(() =>
        {
            var dir = LocalNode.DataDir(r.GetValue(dataDir));
            var who = CheckName(r.GetValue(name)!);
            var granted = r.GetValue(role)!.Trim().ToLowerInvariant() switch
            {
                "viewer" => ApiRole.Viewer,
                "operator" => ApiRole.Operator,
                var other => throw new ArgumentException($"--role must be viewer or operator, got '{DisplayText.Printable(other, 40)}'"),
            };
            var named = NamedTokens.Read(dir);
            if (named.Tokens.Any(t => t.Name == who)) throw new ArgumentException($"a token named '{who}' exists: remove it first (hean token remove {who})");
            var token = ApiTokens.NewToken();
            new NamedTokens([.. named.Tokens, new NamedToken(who, granted, Convert.ToHexStringLower(ApiTokens.Hash(token)), DateTime.UtcNow)]).Write(dir);
            Console.WriteLine(token);
            Console.Error.WriteLine($"token '{who}' ({granted.ToString().ToLowerInvariant()}) added; shown once, keep it now");
            return Program.Ok;
        }));

        var list = new Command("list", "the tokens a node accepts: names, roles, creation times (never the tokens)") { dataDir };
        list.SetAction(r => LocalNode.Run(() =>
        {
            var dir = LocalNode.DataDir(r.GetValue(dataDir));
            var main = Path.Combine(dir, ApiTokens.TokenFile);
            Console.WriteLine($"{"name",-24} {"role",-9} created");
            if (File.Exists(main)) Console.WriteLine($"{ApiTokens.MainName,-24} {"operator",-9} {File.GetLastWriteTimeUtc(main):yyyy-MM-dd HH:mm:ss}Z  ({main})");
            foreach (var t in NamedTokens.Read(dir).Tokens)
                Console.WriteLine($"{t.Name,-24} {t.Role.ToString().ToLowerInvariant(),-9} {t.Created:yyyy-MM-dd HH:mm:ss}Z");
            return Program.Ok;
        }));

        var removeName = new Argument<string>("name") { Description = "the named token to revoke" };
        var remove = new Command("remove", "revoke a named token (at the node's next request)") { removeName, dataDir };
        remove.SetAction(r => LocalNode.Run(() =>
        {
            var dir = LocalNode.DataDir(r.GetValue(dataDir));
            var who = r.GetValue(removeName)!;
            var named = NamedTokens.Read(dir);
            if (named.Tokens.All(t => t.Name != who))
                throw new ArgumentException($"no named token '{DisplayText.Printable(who, 40)}' (hean token list); the operator token is replaced with `hean token rotate`");
            new NamedTokens(named.Tokens.Where(t => t.Name != who).ToList()).Write(dir);
            Console.WriteLine($"token '{who}' revoked");
            return Program.Ok;
        }));

        return new Command("token", "the management API's tokens: new, path, rotate, add, list, remove") { fresh, path, rotate, add, list, remove };
    }


    private static string CheckName(string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 32 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'))
            throw new ArgumentException($"a token name is 1-32 of A-Z a-z 0-9 . - _, got '{DisplayText.Printable(name, 40)}'");
        // Reserved: the main token, the name of unauthenticated calls, and the author the risk rules write (a token named
        // so could set a trading state the rules then lift as their own).
        if (name is ApiTokens.MainName or "unauthenticated" || name == Hean.Core.Risk.RiskState.RuleAuthor)
            throw new ArgumentException($"'{name}' is reserved");
        return name;
    }

}
