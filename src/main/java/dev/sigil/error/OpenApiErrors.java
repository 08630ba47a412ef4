package dev.sigil.error;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;

/**
 * Completes the OpenAPI document with what every endpoint shares, declared once instead of on each
 * method: the problem+json schema with an example, 503 {@code unavailable} everywhere, and the 401/403
 * answers of bearer endpoints. Endpoint-specific answers stay on the resources.
 */
public class OpenApiErrors implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Schema problem = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details with Sigil's stable code")
                .properties(Map.of(
                        "type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).example("urn:sigil:problem:invalid_credentials"),
                        "title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).example("Invalid credentials"),
                        "status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).example(401),
                        "detail", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).example("The username or password is incorrect"),
                        "code", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).example("invalid_credentials")));
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        api.getComponents().addSchema("Problem", problem);
        api.getComponents().addSchema("OAuthError", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 6749 section 5.2 error of the /oauth2 endpoints (not problem+json)")
                .properties(Map.of(
                        "error", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).example("invalid_client"),
                        "error_description", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                                .example("Client authentication failed"))));
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, op) -> complete(path, op)));
    }

    private static void complete(String path, Operation op) {
        APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses() : op.getResponses();
        op.setResponses(responses);
        boolean bearer = op.getSecurity() != null && !op.getSecurity().isEmpty();
        if (!path.startsWith("/.well-known") && !path.startsWith("/oauth2/")) {
            add(responses, "503", "unavailable: PostgreSQL or Redis cannot be reached (with Retry-After)");
        }
        if (bearer) {
            add(responses, "401", "unauthorized (no token, bare WWW-Authenticate: Bearer) or invalid_token (expired, invalid, revoked)");
            add(responses, "403", "forbidden: the token lacks the required role");
        }
        boolean oauth = path.startsWith("/oauth2/");
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(oauth ? oauthErrorContent() : problemContent());
            }
        });
    }

    private static void add(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }

    private static Content oauthErrorContent() {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/OAuthError"));
        return OASFactory.createContent().addMediaType("application/json", media);
    }

    private static Content problemContent() {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM));
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media);
    }
}
