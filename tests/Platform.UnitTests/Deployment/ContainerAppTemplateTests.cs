using System.Text.Json.Nodes;
using Platform.Worker.Roles;

namespace Platform.UnitTests.Deployment;

/// <summary>
/// The container apps in the compiled template (infra/modules/container-app.bicep and its four uses in
/// infra/modules/platform-apps.bicep, the module main.bicep calls <c>apps</c>).
/// </summary>
public sealed class ContainerAppTemplateTests
{
    private const string ContainerApps = "Microsoft.App/containerApps";
    private static readonly string[] AppModules = ["api", "ingestWorker", "consolidatorWorker", "singletonWorker"];

    // Settings whose values are credentials: they may reach a container only as Key Vault references.
    private static readonly string[] SecretSettings =
    [
        "ConnectionStrings__cache",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "Catalog__Cursor__SigningKey",
        "Secrets__EncryptionKey",
    ];

    private static ArmTemplate Template => ArmTemplate.Main;

    [Fact]
    public void Every_container_app_comes_from_one_module_used_for_the_api_and_the_three_worker_apps()
    {
        Template.ModulesDeclaring(ContainerApps).Select(m => m.Name).Order().ShouldBe(AppModules.Order());
    }

    [Fact]
    public void Every_container_app_has_liveness_and_readiness_probes_on_the_health_endpoints()
    {
        foreach (var module in Template.ModulesDeclaring(ContainerApps))
        {
            var container = Container(module);
            var probes = container["probes"].ShouldBeOfType<JsonArray>().Select(p => p!.AsObject()).ToList();
            ProbePath(probes, "Liveness").ShouldBe("/health/live", module.Name);
            ProbePath(probes, "Readiness").ShouldBe("/health/ready", module.Name);
            probes.ShouldAllBe(p => p["httpGet"]!["port"]!.GetValue<string>() == "[parameters('targetPort')]", module.Name);
        }
    }

    [Fact]
    public void Probe_timings_are_within_the_limits_container_apps_accepts()
    {
        // ARM accepts the template either way; the Container Apps resource provider rejects values outside these.
        var probes = Container(Template.ModulesDeclaring(ContainerApps)[0])["probes"]!.AsArray().Select(p => p!.AsObject()).ToList();
        probes.ShouldNotBeEmpty();
        foreach (var probe in probes)
        {
            Seconds(probe, "failureThreshold", 3).ShouldBeInRange(1, 10);
            Seconds(probe, "periodSeconds", 10).ShouldBeInRange(1, 240);
            Seconds(probe, "initialDelaySeconds", 1).ShouldBeInRange(1, 60);
        }

        static int Seconds(JsonObject probe, string key, int fallback) => probe[key]?.GetValue<int>() ?? fallback;
    }

    [Fact]
    public void Every_container_app_runs_as_the_app_identity_and_pulls_with_it()
    {
        foreach (var module in Template.ModulesDeclaring(ContainerApps))
        {
            var app = module.Resource(ContainerApps);
            app["identity"]!["type"]!.GetValue<string>().ShouldBe("UserAssigned");
            module.Parameter("appIdentityId").ShouldBeOpaque("reference('identity').outputs.appIdentityId.value");

            var registry = app["properties"]!["configuration"]!["registries"].ShouldBeOfType<JsonArray>().ShouldHaveSingleItem()!;
            registry["identity"]!.GetValue<string>().ShouldBe("[parameters('appIdentityId')]");
            registry.AsObject().ContainsKey("passwordSecretRef").ShouldBeFalse();
        }
    }

    [Fact]
    public void Container_app_secrets_are_key_vault_references_read_with_the_app_identity()
    {
        var module = Template.ModulesDeclaring(ContainerApps)[0];
        var configuration = module.Resource(ContainerApps)["properties"]!["configuration"]!.AsObject();
        var loop = configuration["copy"].ShouldBeOfType<JsonArray>().Select(c => c!.AsObject()).Single(c => c["name"]!.GetValue<string>() == "secrets");
        var secret = loop["input"]!.AsObject();
        secret["keyVaultUrl"]!.GetValue<string>().ShouldBe("[parameters('secrets')[copyIndex('secrets')].keyVaultUrl]");
        secret["identity"]!.GetValue<string>().ShouldBe("[parameters('appIdentityId')]");
        secret.ContainsKey("value").ShouldBeFalse("a secret value would be stored in the container app");

        // Each secret becomes an environment variable by reference.
        Container(module)["env"]!.GetValue<string>().ShouldContain("'secretRef', lambdaVariables('secret').name");
    }

    [Theory]
    [InlineData("api")]
    [InlineData("ingestWorker")]
    [InlineData("consolidatorWorker")]
    [InlineData("singletonWorker")]
    public void No_credential_is_a_plain_setting_and_every_connection_comes_from_key_vault(string moduleName)
    {
        var module = Template.Module(moduleName);
        var env = Settings(module);
        env.Keys.ShouldNotContain(name => SecretSettings.Contains(name));
        foreach (var (name, value) in env)
        {
            // A value may be a literal or a reference to a non-secret output; never a key, password or secure parameter.
            var text = value?.ToJsonString() ?? "";
            text.ShouldNotContain("listKeys", Case.Insensitive, name);
            text.ShouldNotContain("Password", Case.Insensitive, name);
            text.ShouldNotContain("cursorSigningKey", Case.Insensitive, name);
            text.ShouldNotContain("ConnectionString", Case.Insensitive, name);
        }

        var secrets = module.Parameter("secrets").ShouldBeOfType<JsonArray>().Select(s => s!.AsObject()).ToList();
        secrets.ShouldAllBe(s => IsKeyVaultSecretUrl(s["keyVaultUrl"]), $"{moduleName}: every secret is a Key Vault URL from the secrets module");
        secrets.Select(s => s["env"]!.GetValue<string>()).ShouldBe(
            ["ConnectionStrings__cache", "APPLICATIONINSIGHTS_CONNECTION_STRING", "Secrets__EncryptionKey", .. moduleName == "api" ? new[] { "Catalog__Cursor__SigningKey" } : []],
            ignoreOrder: true);

        env["Messaging__Transport"]!.ShouldBeOpaque("parameters('messagingTransport')");
        Template.Parameter("messagingTransport")["defaultValue"]!.GetValue<string>().ShouldBe("servicebus");
        env["AZURE_CLIENT_ID"]!.ShouldBeOpaque("reference('identity').outputs.appClientId.value");
    }

    [Theory]
    [InlineData("api")]
    [InlineData("ingestWorker")]
    [InlineData("consolidatorWorker")]
    [InlineData("singletonWorker")]
    public void The_database_connection_names_the_app_identity_carries_no_password_and_turns_entra_tokens_on(string moduleName)
    {
        var env = Settings(Template.Module(moduleName));

        // ADR 0036: the Postgres role is the app identity (the Entra administrator); the password is a token fetched at run time.
        env["ConnectionStrings__platformdb"]!.ShouldBeOpaque(
            "format('Host={0};Port=5432;Database={1};Username={2};SSL Mode=Require', reference('postgres').outputs.fqdn.value, " +
            "variables('databaseName'), reference('identity').outputs.appIdentityName.value)");
        env["Aspire__Npgsql__UseEntraAuthentication"]!.GetValue<string>().ShouldBe("true");
        Template.Module("postgres").Parameter("appIdentityName").ShouldBeOpaque("reference('identity').outputs.appIdentityName.value");

        // No Postgres password reaches an app: not as a setting, not as a secret, and not into Key Vault.
        foreach (var (name, value) in env)
        {
            (value?.ToJsonString() ?? "").ShouldNotContain("postgresAdministratorPassword", Case.Insensitive, name);
        }
        Template.Module(moduleName).Parameter("secrets")!.ToJsonString().ShouldNotContain("platformdb", Case.Insensitive);
        Template.Module("secrets").Parameters.Select(p => p.Key).ShouldNotContain(p => p.Contains("postgres", StringComparison.OrdinalIgnoreCase));
        Template.Module("secrets").Template.ToJsonString().ShouldNotContain("platformdb", Case.Insensitive);
    }

    [Fact]
    public void The_api_has_external_ingress_and_at_least_two_replicas()
    {
        var api = Template.Module("api");
        api.Parameter("externalIngress")!.GetValue<bool>().ShouldBeTrue();
        Template.Resolve(api.Parameter("minReplicas"))!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(2);
        var ingress = api.Resource(ContainerApps)["properties"]!["configuration"]!["ingress"]!.GetValue<string>();
        ingress.ShouldContain("'external', true()");
        ingress.ShouldContain("'allowInsecure', false()");
        Template.Root["outputs"]!["API_URL"]!["value"]!.GetValue<string>().ShouldContain("reference('apps').outputs.apiFqdn.value");
    }

    [Fact]
    public void Ingest_workers_scale_1_to_10_on_ingest_page_with_a_keda_rule_that_authenticates_with_an_identity()
    {
        var ingest = Template.Module("ingestWorker");
        Settings(ingest)["Worker__Roles"]!.GetValue<string>().ShouldBe("ingest");
        Replicas(ingest).ShouldBe((1, 10));

        var rule = ServiceBusRule(ingest, "ingest.page");
        rule["identity"]!.ShouldBeOpaque("reference('identity').outputs.scalerIdentityId.value");
        rule.ContainsKey("auth").ShouldBeFalse("identity auth, no connection-string secret");
        rule["metadata"]!["namespace"]!.ShouldBeOpaque("reference('serviceBus').outputs.name.value");
        // The rule's identity must be on the app, or KEDA cannot use it.
        ingest.Parameter("additionalIdentityIds").ShouldBeOfType<JsonArray>().Select(i => i!.ToJsonString())
            .ShouldContain(rule["identity"]!.ToJsonString());
    }

    [Fact]
    public void The_consolidator_scales_1_to_3_and_the_singleton_roles_run_exactly_once()
    {
        var consolidator = Template.Module("consolidatorWorker");
        Settings(consolidator)["Worker__Roles"]!.GetValue<string>().ShouldBe("consolidator");
        Replicas(consolidator).ShouldBe((1, 3));
        ServiceBusRule(consolidator, "ingest.consolidate")["identity"]!.ShouldBeOpaque("reference('identity').outputs.scalerIdentityId.value");

        var singleton = Template.Module("singletonWorker");
        Replicas(singleton).ShouldBe((1, 1));
        var singletonRoles = Settings(singleton)["Worker__Roles"]!.GetValue<string>().Split(',');

        // Every role the worker knows runs somewhere, and every configured role exists (an unknown one stops the worker).
        string[] configured = ["ingest", "consolidator", .. singletonRoles];
        configured.Order().ShouldBe(WorkerRoleCatalog.Default.Names.Order());
    }

    [Fact]
    public void Each_azd_service_has_exactly_one_container_app_tagged_with_its_name()
    {
        var tagged = AppModules.Select(Template.Module)
            .Select(m => m.Parameter("azdServiceName")?.GetValue<string>() ?? "")
            .Where(name => name.Length > 0)
            .ToList();
        tagged.Order().ShouldBe(AzureYaml.Load().ServiceNames.Order());
    }

    internal static JsonObject Container(ModuleInstance module) =>
        module.Resource(ContainerApps)["properties"]!["template"]!["containers"].ShouldBeOfType<JsonArray>().ShouldHaveSingleItem()!.AsObject();

    private static string? ProbePath(List<JsonObject> probes, string type) =>
        probes.SingleOrDefault(p => p["type"]!.GetValue<string>() == type)?["httpGet"]?["path"]?.GetValue<string>();

    private static Dictionary<string, JsonNode?> Settings(ModuleInstance module) =>
        module.Parameter("env").ShouldBeOfType<JsonArray>()
            .Select(e => e!.AsObject())
            .ToDictionary(e => e["name"]!.GetValue<string>(), e => e["value"]);

    private static (int Min, int Max) Replicas(ModuleInstance module) =>
        (Template.Resolve(module.Parameter("minReplicas"))!.GetValue<int>(), Template.Resolve(module.Parameter("maxReplicas"))!.GetValue<int>());

    private static JsonObject ServiceBusRule(ModuleInstance module, string queue)
    {
        var rule = module.Parameter("scaleRules").ShouldBeOfType<JsonArray>().ShouldHaveSingleItem()!["custom"]!.AsObject();
        rule["type"]!.GetValue<string>().ShouldBe("azure-servicebus");
        rule["metadata"]!["queueName"]!.GetValue<string>().ShouldBe(queue);
        return rule;
    }

    private static bool IsKeyVaultSecretUrl(JsonNode? node) =>
        ArmExpression.IsOpaque(node, out var source)
        && source.StartsWith("reference('secrets').outputs.", StringComparison.Ordinal)
        && source.EndsWith("SecretUrl.value", StringComparison.Ordinal);
}
