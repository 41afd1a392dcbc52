package org.harbour.testsupport;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Base of the HTTP tests: one application, one real PostgreSQL and the test OIDC realms for the whole run.
 * Subclasses are {@code @QuarkusTest}s.
 */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcRealmsResource.class, scope = TestResourceScope.GLOBAL)
public abstract class ApiTest {
}
