/** Days a rotated-out secret stays valid, so that a deploy that runs late never strands Botpress. */
export const SECRET_GRACE_DAYS = 30;
