from rest_framework import authentication, exceptions

from registry.services.tokens import token_authenticate


class HashedTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <raw>` (or `Bearer <raw>`), checked against stored hashes."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header is 'Token <value>'.")
        token = token_authenticate(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Token"
